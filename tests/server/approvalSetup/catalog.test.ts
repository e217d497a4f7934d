/**
 * Flows, forms and 机关代字 through the real HTTP API, on SQLite and PostgreSQL: the built-in flows
 * and forms are listed first and cannot be overwritten; a system administrator saves flows and
 * forms that keep the rules (and the flow of each form fits its fields); each save writes its audit
 * row in the same transaction, so a save the database refuses leaves none; units get their 机关代字,
 * and the port finds a unit's own or its nearest ancestor's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { FlowView, FormView } from '../../../shared/http/routes/approvalSetup'
import type { ApiUnit } from '../../../shared/api'
import { BACKENDS } from './backends'
import type { Backend } from './backends'
import { buildOrg } from './people'
import type { Org } from './people'

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string }
}

/** A form flow: the head, then the leader when more than 3 days, then the chosen countersigners. */
const TRAINING_FLOW = {
  id: 'training',
  name: '培训审批',
  subjectType: 'form',
  stages: [
    { id: 'head', name: '科室负责人审批', mode: 'sequential', assignees: [{ post: '科室负责人' }] },
    {
      id: 'leader',
      name: '分管领导审批',
      mode: 'sequential',
      assignees: [{ post: '分管领导' }],
      when: [{ field: 'days', op: '>', value: 3 }],
      timeLimitHours: 24,
      remindBeforeHours: 4,
    },
    {
      id: 'peers',
      name: '会签',
      kind: 'countersign',
      mode: 'all',
      assignees: [{ field: 'peers' }],
      when: [{ field: 'kind', op: 'in', value: ['境外', '脱产'] }],
    },
  ],
}

const TRAINING_FORM = {
  id: 'training',
  name: '培训申请',
  flowId: 'training',
  fields: [
    {
      key: 'kind',
      label: '培训类型',
      type: 'select',
      required: true,
      options: ['在职', '脱产', '境外'],
    },
    { key: 'days', label: '培训天数', type: 'number', required: true, min: 1, max: 365 },
    { key: 'peers', label: '会签人', type: 'person', required: false, multiple: true },
  ],
}

describe.each(BACKENDS)('flows, forms and 机关代字 on $name', (backend) => {
  let b: Backend
  let org: Org

  beforeAll(async () => {
    b = await backend.start()
    org = await buildOrg(b.relay)
  }, 60_000)

  afterAll(async () => {
    await b.stop()
  })

  const audits = async (action: string, target: string): Promise<number> =>
    (await b.sql('SELECT seq FROM audit_log WHERE action = $1 AND target = $2', [action, target]))
      .length

  test('every signed-in person lists the built-in flows and forms first', async () => {
    const flows = await org.clerk.api.request<{ flows: FlowView[] }>('GET', '/approval-flows')
    expect(flows.status).toBe(200)
    expect(flows.body.flows.slice(0, 4).map((v) => [v.flow.id, v.builtin])).toEqual([
      ['gongwen-outgoing', true],
      ['leave', true],
      ['travel', true],
      ['seal', true],
    ])
    const forms = await org.clerk.api.request<{ forms: FormView[] }>('GET', '/approval-forms')
    expect(forms.body.forms.slice(0, 3).map((v) => v.form.name)).toEqual([
      '请假申请',
      '出差申请',
      '用印申请',
    ])
    const onlyForms = await org.clerk.api.request<{ flows: FlowView[] }>(
      'GET',
      '/approval-flows?subjectType=form',
    )
    expect(onlyForms.body.flows.every((v) => v.flow.subjectType === 'form')).toBe(true)
    expect(onlyForms.body.flows.map((v) => v.flow.id)).not.toContain('gongwen-outgoing')
  })

  test('a system administrator saves a flow and its form; both are listed, audited, and read by the ports', async () => {
    const flow = await org.admin.request<FlowView>(
      'PUT',
      '/admin/approval-flows/training',
      TRAINING_FLOW,
    )
    expect(flow.status, JSON.stringify(flow.body)).toBe(200)
    expect(flow.body.builtin).toBe(false)
    expect(await audits('approval_flow.save', 'training')).toBe(1)
    const form = await org.admin.request<FormView>(
      'PUT',
      '/admin/approval-forms/training',
      TRAINING_FORM,
    )
    expect(form.status, JSON.stringify(form.body)).toBe(200)
    expect(await audits('approval_form.save', 'training')).toBe(1)

    const listed = await org.clerk.api.request<{ flows: FlowView[] }>('GET', '/approval-flows')
    expect(listed.body.flows.find((v) => v.flow.id === 'training')).toMatchObject({
      builtin: false,
      flow: { name: '培训审批' },
    })
    expect(await b.relay.approvalSetup.catalog.flow('training')).toEqual(TRAINING_FLOW)
    expect(await b.relay.approvalSetup.catalog.form('training')).toEqual(TRAINING_FORM)
    expect((await b.relay.approvalSetup.catalog.flow('leave'))?.name).toBe('请假审批')
    expect((await b.relay.approvalSetup.catalog.form('sealRequest'))?.name).toBe('用印申请')
    expect(await b.relay.approvalSetup.catalog.flow('constructor')).toBeNull()
    expect(await b.relay.approvalSetup.catalog.form('nothing')).toBeNull()

    // Saving again replaces it.
    const renamed = await org.admin.request<FlowView>('PUT', '/admin/approval-flows/training', {
      ...TRAINING_FLOW,
      name: '培训进修审批',
    })
    expect(renamed.status).toBe(200)
    expect((await b.relay.approvalSetup.catalog.flow('training'))?.name).toBe('培训进修审批')
  })

  test('built-ins are not editable, and only a system administrator saves (audited)', async () => {
    const builtin = await org.admin.request<ErrorBody>('PUT', '/admin/approval-flows/leave', {
      ...TRAINING_FLOW,
      id: 'leave',
    })
    expect(builtin.status).toBe(409)
    expect(builtin.body.error.message).toMatch(/内置流程/)
    expect(await audits('approval_flow.save_refused', 'leave')).toBe(1)
    const builtinForm = await org.admin.request('PUT', '/admin/approval-forms/leave', {
      ...TRAINING_FORM,
      id: 'leave',
    })
    expect(builtinForm.status).toBe(409)

    const clerk = await org.clerk.api.request<ErrorBody>('PUT', '/admin/approval-flows/x1', {
      ...TRAINING_FLOW,
      id: 'x1',
    })
    expect(clerk.status).toBe(403)
    expect(clerk.body.error.code).toBe('forbidden')
    const unitAdmin = await org.cityAdmin.api.request('PUT', '/admin/approval-forms/x1', {
      ...TRAINING_FORM,
      id: 'x1',
    })
    expect(unitAdmin.status).toBe(403)
    expect(await audits('approval_form.save_refused', 'x1')).toBe(1)
    expect(await b.relay.approvalSetup.catalog.flow('x1')).toBeNull()
  })

  test('a flow that breaks a rule is refused with the reason', async () => {
    const stage = TRAINING_FLOW.stages[0]
    const cases: [string, unknown][] = [
      ['duplicate stage ids', { ...TRAINING_FLOW, id: 'bad1', stages: [stage, stage] }],
      [
        'a stage called start',
        { ...TRAINING_FLOW, id: 'bad2', stages: [{ ...stage, id: 'start' }] },
      ],
      [
        'a number stage in a form flow',
        { ...TRAINING_FLOW, id: 'bad3', stages: [{ ...stage, kind: 'number' }] },
      ],
      [
        'a reminder after the limit',
        {
          ...TRAINING_FLOW,
          id: 'bad4',
          stages: [{ ...stage, timeLimitHours: 2, remindBeforeHours: 3 }],
        },
      ],
      [
        'an unknown role',
        { ...TRAINING_FLOW, id: 'bad5', stages: [{ ...stage, assignees: [{ role: 'king' }] }] },
      ],
      [
        'an unknown user',
        { ...TRAINING_FLOW, id: 'bad6', stages: [{ ...stage, assignees: [{ user: 'nobody' }] }] },
      ],
      [
        'a deactivated user',
        { ...TRAINING_FLOW, id: 'bad7', stages: [{ ...stage, assignees: [{ user: org.goneId }] }] },
      ],
      [
        '`in` without a list',
        {
          ...TRAINING_FLOW,
          id: 'bad8',
          stages: [{ ...stage, when: [{ field: 'days', op: 'in', value: 3 }] }],
        },
      ],
      ['the id of another flow in the body', { ...TRAINING_FLOW, id: 'other' }],
      ['no stages', { ...TRAINING_FLOW, id: 'bad9', stages: [] }],
      [
        'a list of 101 values',
        {
          ...TRAINING_FLOW,
          id: 'bad12',
          stages: [
            {
              ...stage,
              when: [{ field: 'days', op: 'in', value: Array.from({ length: 101 }, (_, i) => i) }],
            },
          ],
        },
      ],
      ['an unknown key', { ...TRAINING_FLOW, id: 'bad10', owner: 'me' }],
    ]
    for (const [what, body] of cases) {
      const id = (body as { id: string }).id === 'other' ? 'bad11' : (body as { id: string }).id
      const answer = await org.admin.request<ErrorBody>('PUT', `/admin/approval-flows/${id}`, body)
      expect(answer.status, what).toBe(400)
      expect(answer.body.error.code, what).toBe('bad_request')
      expect(answer.body.error.message, what).toMatch(/[\u4e00-\u9fff]|invalid/)
      expect(await b.relay.approvalSetup.catalog.flow(id), what).toBeNull()
    }
    // A named user who is active is accepted.
    const named = await org.admin.request('PUT', '/admin/approval-flows/named', {
      ...TRAINING_FLOW,
      id: 'named',
      stages: [{ ...stage, assignees: [{ user: org.leader.id }] }],
    })
    expect(named.status).toBe(200)
  })

  test('a form and its flow must fit: existing flow, conditions on its fields with values of their type', async () => {
    const unknownFlow = await org.admin.request<ErrorBody>('PUT', '/admin/approval-forms/f1', {
      ...TRAINING_FORM,
      id: 'f1',
      flowId: 'missing',
    })
    expect(unknownFlow.status).toBe(404)
    const documentFlow = await org.admin.request<ErrorBody>('PUT', '/admin/approval-forms/f2', {
      ...TRAINING_FORM,
      id: 'f2',
      flowId: 'gongwen-outgoing',
    })
    expect(documentFlow.status).toBe(400)
    // The leave flow asks for `days`; a form without it cannot use that flow.
    const noDays = await org.admin.request<ErrorBody>('PUT', '/admin/approval-forms/f3', {
      ...TRAINING_FORM,
      id: 'f3',
      flowId: 'leave',
      fields: TRAINING_FORM.fields.filter((field) => field.key !== 'days'),
    })
    expect(noDays.status).toBe(400)
    expect(noDays.body.error.message).toMatch(/days/)
    const textDays = await org.admin.request<ErrorBody>('PUT', '/admin/approval-forms/f4', {
      ...TRAINING_FORM,
      id: 'f4',
      flowId: 'leave',
      fields: [{ key: 'days', label: '天数', type: 'text', required: true }],
    })
    expect(textDays.status).toBe(400)
    const badDate = await org.admin.request('PUT', '/admin/approval-forms/f5', {
      ...TRAINING_FORM,
      id: 'f5',
      fields: [
        ...TRAINING_FORM.fields,
        { key: 'end', label: '结束', type: 'date', required: true, notBefore: 'days' },
      ],
    })
    expect(badDate.status).toBe(400)
    for (const id of ['f1', 'f2', 'f3', 'f4', 'f5']) {
      expect(await b.relay.approvalSetup.catalog.form(id)).toBeNull()
    }

    // Once a form uses the flow, the flow cannot name a field the form lacks, nor become a document flow.
    const base = await org.admin.request('PUT', '/admin/approval-flows/fitted', {
      ...TRAINING_FLOW,
      id: 'fitted',
    })
    expect(base.status).toBe(200)
    const form = await org.admin.request('PUT', '/admin/approval-forms/fitted', {
      ...TRAINING_FORM,
      id: 'fitted',
      flowId: 'fitted',
    })
    expect(form.status).toBe(200)
    const stage = TRAINING_FLOW.stages[0]
    const missingField = await org.admin.request<ErrorBody>('PUT', '/admin/approval-flows/fitted', {
      ...TRAINING_FLOW,
      id: 'fitted',
      stages: [{ ...stage, when: [{ field: 'budget', op: '>', value: 1000 }] }],
    })
    expect(missingField.status).toBe(400)
    expect(missingField.body.error.message).toMatch(/budget/)
    const notAnOption = await org.admin.request('PUT', '/admin/approval-flows/fitted', {
      ...TRAINING_FLOW,
      id: 'fitted',
      stages: [{ ...stage, when: [{ field: 'kind', op: '==', value: '出国' }] }],
    })
    expect(notAnOption.status).toBe(400)
    const toDocument = await org.admin.request('PUT', '/admin/approval-flows/fitted', {
      ...TRAINING_FLOW,
      id: 'fitted',
      subjectType: 'document',
    })
    expect(toDocument.status).toBe(400)
    expect((await b.relay.approvalSetup.catalog.flow('fitted'))?.stages).toHaveLength(3)
  })

  test('a save the database refuses leaves neither the flow nor its audit row', async () => {
    await b.exec(
      backend.name === 'SQLite'
        ? `CREATE TRIGGER refuse_flow BEFORE INSERT ON approval_flows WHEN NEW.name = '拒绝写入'
           BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`
        : `CREATE FUNCTION refuse_flow() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql;
           CREATE TRIGGER refuse_flow BEFORE INSERT ON approval_flows FOR EACH ROW
           WHEN (NEW.name = '拒绝写入') EXECUTE FUNCTION refuse_flow();`,
    )
    const refused = await org.admin.request<ErrorBody>('PUT', '/admin/approval-flows/doomed', {
      ...TRAINING_FLOW,
      id: 'doomed',
      name: '拒绝写入',
    })
    expect(refused.status).toBe(500)
    expect(refused.body.error.code).toBe('internal')
    expect(await audits('approval_flow.save', 'doomed')).toBe(0)
    expect(await b.relay.approvalSetup.catalog.flow('doomed')).toBeNull()
    // The same command with an acceptable name goes through, with its one audit row.
    const accepted = await org.admin.request('PUT', '/admin/approval-flows/doomed', {
      ...TRAINING_FLOW,
      id: 'doomed',
    })
    expect(accepted.status).toBe(200)
    expect(await audits('approval_flow.save', 'doomed')).toBe(1)
    // The audit chain is whole after the rollback.
    const verify = await org.admin.request<{ ok: boolean }>('GET', '/admin/audit/verify')
    expect(verify.body.ok).toBe(true)
  })

  test('units get their 机关代字; the port walks up to the nearest ancestor that has one', async () => {
    const { admin, provinceId, officeId, sectionId, otherCityId } = org
    const codes = b.relay.approvalSetup.agencyCodes
    expect(await codes.agencyCodeOf(sectionId)).toBeNull()

    const set = await admin.request('PUT', `/admin/units/${officeId}/agency-code`, {
      agencyCode: '鲁政办发',
    })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ unitId: officeId, agencyCode: '鲁政办发' })
    expect(await audits('unit.agency_code_set', officeId)).toBe(1)
    expect(await codes.agencyCodeOf(officeId)).toBe('鲁政办发')
    expect(await codes.agencyCodeOf(sectionId)).toBe('鲁政办发')
    expect(await codes.agencyCodeOf(provinceId)).toBeNull()
    expect(await codes.agencyCodeOf('no-such-unit')).toBeNull()

    await admin.request('PUT', `/admin/units/${provinceId}/agency-code`, { agencyCode: '鲁政发' })
    await admin.request('PUT', `/admin/units/${sectionId}/agency-code`, { agencyCode: '鲁政秘发' })
    expect(await codes.agencyCodeOf(sectionId)).toBe('鲁政秘发')
    expect(await codes.agencyCodeOf(otherCityId)).toBe('鲁政发')

    const units = await org.clerk.api.request<{ units: ApiUnit[] }>('GET', '/units')
    const byId = new Map(units.body.units.map((unit) => [unit.id, unit]))
    expect(byId.get(officeId)?.agencyCode).toBe('鲁政办发')
    expect(byId.get(otherCityId)?.agencyCode).toBeUndefined()
  })

  test('an unusable 机关代字, a unit out of reach, an unknown unit, or a non-admin is refused', async () => {
    const { admin, officeId, otherCityId, cityAdmin, clerk } = org
    for (const agencyCode of ['鲁政〔办〕发', '鲁政 办发', '鲁政办发2', '   ', '鲁'.repeat(17)]) {
      const answer = await admin.request<ErrorBody>('PUT', `/admin/units/${officeId}/agency-code`, {
        agencyCode,
      })
      expect(answer.status, agencyCode).toBe(400)
    }
    expect(await b.relay.approvalSetup.agencyCodes.agencyCodeOf(officeId)).toBe('鲁政办发')
    const outOfReach = await cityAdmin.api.request('PUT', `/admin/units/${officeId}/agency-code`, {
      agencyCode: '济政发',
    })
    expect(outOfReach.status).toBe(403)
    expect(await audits('unit.agency_code_set_refused', officeId)).toBeGreaterThanOrEqual(1)
    const own = await cityAdmin.api.request('PUT', `/admin/units/${otherCityId}/agency-code`, {
      agencyCode: '济政发',
    })
    expect(own.status).toBe(200)
    expect(
      (await admin.request('PUT', '/admin/units/nowhere/agency-code', { agencyCode: '鲁发' }))
        .status,
    ).toBe(404)
    expect(
      (
        await clerk.api.request('PUT', `/admin/units/${officeId}/agency-code`, {
          agencyCode: '鲁发',
        })
      ).status,
    ).toBe(403)
  })
})
