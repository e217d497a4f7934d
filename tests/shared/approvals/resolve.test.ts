import { describe, expect, test } from 'vitest'
import { adhocFlow } from '../../../shared/approvals/adhocFlow'
import {
  GONGWEN_OUTGOING_FLOW,
  LEAVE_FLOW,
  SEAL_FLOW,
  TRAVEL_FLOW,
  BUILTIN_FLOWS,
} from '../../../shared/approvals/builtinFlows'
import {
  BUILTIN_FORMS,
  LEAVE_FORM,
  SEAL_FORM,
  TRAVEL_FORM,
} from '../../../shared/approvals/builtinForms'
import { conditionHolds } from '../../../shared/approvals/conditions'
import { currentDeadline, deadlineStatus } from '../../../shared/approvals/deadlines'
import { FormDefinitionSchema } from '../../../shared/approvals/formDefinition'
import { validateFormData } from '../../../shared/approvals/formValidation'
import type { FlowTemplate } from '../../../shared/approvals/flowTemplate'
import { resolveFlow } from '../../../shared/approvals/resolve'
import type { StartParams } from '../../../shared/approvals/resolveStage'
import { reassignmentsFor } from '../../../shared/approvals/successor'
import type { ApprovalInstance } from '../../../shared/approvals/types'
import { Harness, T0, codeOf, directory } from './fixtures'

const CREATED = new Date(T0).toISOString()

function leaveParams(days: number, initiatorId = 'clerk', initiatorUnitId = 'sec1'): StartParams {
  return {
    approvalId: 'ap-leave',
    initiatorId,
    initiatorUnitId,
    createdAt: CREATED,
    subject: {
      type: 'form',
      formId: 'leave',
      data: { leaveType: '事假', startDate: '2026-12-08', days, reason: '家中有事' },
    },
  }
}

function resolved(
  template: FlowTemplate,
  params: StartParams,
  dir = directory(),
): ApprovalInstance {
  const result = resolveFlow(template, params, dir)
  if (!result.ok) {
    throw new Error(result.error.message)
  }
  return result.instance
}

const summary = (instance: ApprovalInstance) =>
  instance.stages.map((s) => ({
    id: s.id,
    assignees: s.assignees,
    ...(s.skipped ? { skipped: s.skipped } : {}),
  }))

describe('请假 (leave)', () => {
  test('5 days goes through the 分管领导; 2 days does not', () => {
    expect(summary(resolved(LEAVE_FLOW, leaveParams(5)))).toEqual([
      { id: 'head', assignees: ['head1'] },
      { id: 'leader', assignees: ['vice'] },
    ])
    expect(summary(resolved(LEAVE_FLOW, leaveParams(2)))).toEqual([
      { id: 'head', assignees: ['head1'] },
    ])
    expect(summary(resolved(LEAVE_FLOW, leaveParams(3)))).toHaveLength(1)
  })

  test('a 5-day leave runs to approval through both', () => {
    const h = new Harness(resolved(LEAVE_FLOW, leaveParams(5)))
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'head' })
    expect(h.state().pending).toEqual(['vice'])
    h.ok('vice', { type: 'approve', stageId: 'leader' })
    expect(h.state().status).toBe('approved')
  })

  test('the 科室负责人’s own leave goes up to the 分管领导, once (the second stage is a duplicate)', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(5, 'head1'))
    expect(instance.stages[0]).toMatchObject({ assignees: ['vice'], escalatedFrom: '科室负责人' })
    expect(summary(instance)[1]).toEqual({ id: 'leader', assignees: [], skipped: 'duplicate' })
    const h = new Harness(instance)
      .ok('head1', { type: 'submit', stageId: 'start' })
      .ok('vice', { type: 'approve', stageId: 'head' })
    expect(h.state().status).toBe('approved')
  })

  test('the 分管领导’s own leave goes to the 主要领导', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(2, 'vice', 'office'))
    expect(summary(instance)).toEqual([{ id: 'head', assignees: ['chief'] }])
  })

  test('the 主要领导’s own leave has nobody above in the ladder: the stage is skipped as the initiator’s', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(5, 'chief', 'office'))
    expect(summary(instance)).toEqual([
      { id: 'head', assignees: [], skipped: 'initiator' },
      { id: 'leader', assignees: [], skipped: 'initiator' },
    ])
    const h = new Harness(instance).ok('chief', { type: 'submit', stageId: 'start' })
    expect(h.state().status).toBe('approved')
  })

  test('a deactivated post holder is passed over for an active one', () => {
    const base = directory(new Set(['head1']))
    const dir = {
      ...base,
      postHolders: (unitId: string, post: '科室负责人' | '分管领导' | '主要领导') =>
        unitId === 'sec1' && post === '科室负责人'
          ? ['head1', 'deputyHead']
          : base.postHolders(unitId, post),
    }
    expect(summary(resolved(LEAVE_FLOW, leaveParams(2), dir))).toEqual([
      { id: 'head', assignees: ['deputyHead'] },
    ])
  })
})

describe('resolution errors', () => {
  test('no holder of a post anywhere in the chain is no_assignee, naming the stage', () => {
    const result = resolveFlow(LEAVE_FLOW, leaveParams(2), directory(new Set(['head1'])))
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'no_assignee', stageId: 'head', stageName: '科室负责人审批' },
    })
  })

  test('a deactivated user named explicitly is inactive_assignee', () => {
    const flow = adhocFlow([{ name: '审核', mode: 'sequential', assignees: ['vice'] }])
    const result = resolveFlow(flow, leaveParams(1), directory(new Set(['vice'])))
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'inactive_assignee', stageId: 's1', userId: 'vice' },
    })
  })

  test('a template with a duplicate or reserved stage id is invalid_template', () => {
    const bad: FlowTemplate = {
      ...LEAVE_FLOW,
      stages: [LEAVE_FLOW.stages[0]!, LEAVE_FLOW.stages[0]!],
    }
    expect(resolveFlow(bad, leaveParams(1), directory())).toMatchObject({
      ok: false,
      error: { code: 'invalid_template' },
    })
    const reserved: FlowTemplate = {
      ...LEAVE_FLOW,
      stages: [{ ...LEAVE_FLOW.stages[0]!, id: 'start' }],
    }
    expect(resolveFlow(reserved, leaveParams(1), directory())).toMatchObject({
      ok: false,
      error: { code: 'invalid_template' },
    })
  })
})

describe('assignees by role, by field, by post in named units', () => {
  test('a role resolves in the nearest unit of the chain with a holder other than the initiator', () => {
    const flow: FlowTemplate = {
      id: 'f',
      name: 'f',
      subjectType: 'form',
      stages: [{ id: 'r', name: '审核', mode: 'any', assignees: [{ role: 'reviewer' }] }],
    }
    // clerk is sec1's only reviewer: as initiator they are passed over for the office's reviewers.
    expect(summary(resolved(flow, leaveParams(1)))).toEqual([
      { id: 'r', assignees: ['rev1', 'rev2'] },
    ])
  })

  test('the initiator named as the only reviewer of an ad-hoc stage: the stage is skipped as theirs', () => {
    const flow = adhocFlow([
      { name: '自审', mode: 'sequential', assignees: ['clerk'] },
      { name: '审核', mode: 'sequential', assignees: ['clerk', 'vice'] },
    ])
    expect(summary(resolved(flow, leaveParams(1)))).toEqual([
      { id: 's1', assignees: [], skipped: 'initiator' },
      { id: 's2', assignees: ['vice'] },
    ])
  })
})

describe('the 公文 outgoing chain', () => {
  const params = (data: Record<string, unknown>): StartParams => ({
    approvalId: 'ap-doc',
    initiatorId: 'clerk',
    initiatorUnitId: 'sec1',
    createdAt: CREATED,
    subject: { type: 'document', documentId: 'doc-1' },
    data,
  })

  test('核稿 → 签发 → 编号 → 用印 → 分发 → 归档 without 会签', () => {
    const instance = resolved(GONGWEN_OUTGOING_FLOW, params({}))
    expect(instance.stages.map((s) => `${s.name}:${s.kind}`)).toEqual([
      '核稿:review',
      '签发:signoff',
      '编号:number',
      '用印:seal',
      '分发:distribute',
      '归档:archive',
    ])
    expect(instance.stages[1]?.assignees).toEqual(['chief'])
  })

  test('with countersigners the 会签 stage is all-of; signoffBy 分管领导 picks the leader in charge', () => {
    const instance = resolved(
      GONGWEN_OUTGOING_FLOW,
      params({ countersigners: ['head2', 'legalHead'], signoffBy: '分管领导' }),
    )
    expect(instance.stages.slice(0, 3).map((s) => [s.id, s.mode, s.assignees])).toEqual([
      ['review', 'sequential', ['head1']],
      ['countersign', 'all', ['head2', 'legalHead']],
      ['signoffVice', 'sequential', ['vice']],
    ])
  })

  test('the same person at 核稿 and 签发 acts at each', () => {
    const flow = adhocFlow([
      { name: '核稿', mode: 'sequential', assignees: ['vice'] },
      { name: '签发', kind: 'signoff', mode: 'sequential', assignees: ['vice'] },
    ])
    const h = new Harness(resolved(flow, params({}))).ok('clerk', {
      type: 'submit',
      stageId: 'start',
    })
    h.ok('vice', { type: 'approve', stageId: 's1' })
    expect(h.state()).toMatchObject({ currentStageId: 's2', pending: ['vice'] })
    h.ok('vice', { type: 'signoff', stageId: 's2' })
    expect(h.state().status).toBe('approved')
  })

  test('the whole chain runs through to 归档', () => {
    const h = new Harness(
      resolved(GONGWEN_OUTGOING_FLOW, params({ countersigners: ['legalHead'] })),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('legalHead', { type: 'approve', stageId: 'countersign' })
      .ok('chief', { type: 'signoff', stageId: 'signoff', opinion: '同意' })
    expect(h.state()).toMatchObject({ currentStageId: 'number', pending: [] })
    h.ok('system', {
      type: 'number',
      stageId: 'number',
      target: { documentNumber: '鲁政办发〔2026〕1号' },
    })
    h.ok('reg', { type: 'approve', stageId: 'seal' }).ok('reg', {
      type: 'approve',
      stageId: 'distribute',
    })
    h.ok('reg', { type: 'approve', stageId: 'archive' })
    expect(h.state().status).toBe('approved')
    expect(codeOf(h.act('reg', { type: 'reject', stageId: 'seal' }))).toBe('invalid_action')
  })
})

describe('conditions', () => {
  test('compare numbers with numbers and strings with strings, never mixed', () => {
    expect(conditionHolds({ field: 'days', op: '>', value: 3 }, { days: 3.5 })).toBe(true)
    expect(conditionHolds({ field: 'days', op: '>', value: 3 }, { days: '5' })).toBe(false)
    expect(conditionHolds({ field: 'days', op: '>=', value: 3 }, {})).toBe(false)
    expect(
      conditionHolds({ field: 'start', op: '<', value: '2027-01-01' }, { start: '2026-12-08' }),
    ).toBe(true)
    expect(
      conditionHolds(
        { field: 'sealType', op: 'in', value: ['单位公章'] },
        { sealType: '单位公章' },
      ),
    ).toBe(true)
    expect(conditionHolds({ field: 'x', op: 'nonEmpty' }, { x: [] })).toBe(false)
    expect(conditionHolds({ field: 'x', op: '!=', value: 'a' }, {})).toBe(true)
    expect(conditionHolds({ field: 'x', op: '==', value: 'a' }, {})).toBe(false)
  })

  test('出差 over 5 days adds the 主要领导; 用印 of a 合同专用章 skips the 分管领导', () => {
    const travel = (days: number): StartParams => ({
      ...leaveParams(1),
      subject: { type: 'form', formId: 'travel', data: { days } },
    })
    expect(resolved(TRAVEL_FLOW, travel(6)).stages.map((s) => s.id)).toEqual([
      'head',
      'leader',
      'principal',
    ])
    expect(resolved(TRAVEL_FLOW, travel(5)).stages.map((s) => s.id)).toEqual(['head', 'leader'])
    const seal = (sealType: string): StartParams => ({
      ...leaveParams(1),
      subject: { type: 'form', formId: 'sealRequest', data: { sealType } },
    })
    expect(resolved(SEAL_FLOW, seal('合同专用章')).stages.map((s) => s.id)).toEqual([
      'head',
      'seal',
    ])
    expect(resolved(SEAL_FLOW, seal('单位公章')).stages.map((s) => s.id)).toEqual([
      'head',
      'leader',
      'seal',
    ])
  })
})

describe('forms', () => {
  test('built-in forms are valid definitions whose flows exist', () => {
    for (const form of Object.values(BUILTIN_FORMS)) {
      expect(FormDefinitionSchema.safeParse(form).success).toBe(true)
      expect(BUILTIN_FLOWS[form.flowId]?.subjectType).toBe('form')
    }
  })

  test('a complete 请假 is accepted and cleaned', () => {
    const result = validateFormData(LEAVE_FORM, {
      leaveType: '事假',
      startDate: '2026-12-08',
      days: 1.5,
      reason: '  家中有事 ',
      attachments: [],
    })
    expect(result).toEqual({
      ok: true,
      data: { leaveType: '事假', startDate: '2026-12-08', days: 1.5, reason: '家中有事' },
    })
  })

  test('missing required fields, wrong types, bad dates, options and steps are reported per field', () => {
    const result = validateFormData(LEAVE_FORM, {
      leaveType: '旷工',
      startDate: '2026-02-30',
      days: 1.2,
      extra: 1,
    })
    expect(result.ok).toBe(false)
    const codes = result.ok ? [] : result.issues.map((i) => `${i.field}:${i.code}`)
    expect(codes.sort()).toEqual([
      'days:step',
      'extra:unknown_field',
      'leaveType:not_an_option',
      'reason:required',
      'startDate:invalid_date',
    ])
    const message = result.ok ? '' : result.issues.find((i) => i.field === 'reason')?.message
    expect(message).toContain('请假事由')
  })

  test('出差 returns no earlier than it leaves; 用印 needs its file; people and units are ids', () => {
    const travel = {
      destination: '济南',
      startDate: '2026-12-10',
      endDate: '2026-12-09',
      days: 2,
      purpose: '调研',
      transport: '火车',
      companions: 'u1',
    }
    const codes = (r: ReturnType<typeof validateFormData>) =>
      r.ok ? [] : r.issues.map((i) => `${i.field}:${i.code}`)
    expect(codes(validateFormData(TRAVEL_FORM, travel)).sort()).toEqual([
      'companions:type',
      'endDate:invalid_date',
    ])
    expect(
      codes(
        validateFormData(SEAL_FORM, {
          sealType: '单位公章',
          documentTitle: '函',
          copies: 2,
          purpose: '报送',
        }),
      ),
    ).toEqual(['attachments:required'])
    expect(
      validateFormData(SEAL_FORM, {
        sealType: '单位公章',
        documentTitle: '函',
        copies: 2,
        purpose: '报送',
        attachments: [{ fileId: 'f1', name: '函.pdf' }],
        recipientUnits: ['legal'],
      }).ok,
    ).toBe(true)
    expect(
      codes(
        validateFormData(SEAL_FORM, {
          sealType: '单位公章',
          documentTitle: '函',
          copies: 0,
          purpose: 'x',
          attachments: [{ fileId: 'f1' }],
        }),
      ).sort(),
    ).toEqual(['attachments:type', 'copies:too_small'])
    expect(validateFormData(LEAVE_FORM, null).ok).toBe(false)
  })

  test('an admin’s form with duplicate keys or a select without options is refused', () => {
    const field = { key: 'a', label: '甲', type: 'text', required: true } as const
    expect(
      FormDefinitionSchema.safeParse({
        id: 'f',
        name: 'f',
        flowId: 'leave',
        fields: [field, field],
      }).success,
    ).toBe(false)
    expect(
      FormDefinitionSchema.safeParse({
        id: 'f',
        name: 'f',
        flowId: 'leave',
        fields: [{ ...field, type: 'select' }],
      }).success,
    ).toBe(false)
  })
})

describe('successors of a deactivated assignee', () => {
  test('the post’s new holder takes the open places, through reassign actions reduce applies', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(5))
    const h = new Harness(instance).ok('clerk', { type: 'submit', stageId: 'start' })
    // head1 leaves; sec1's new 科室负责人 is named by the admin.
    const dir = directory(new Set(['head1']), { head1: 'head2' })
    const result = reassignmentsFor(instance, h.state(), 'head1', dir)
    expect(result).toEqual({
      ok: true,
      reassignments: [{ stageId: 'head', fromUserId: 'head1', userId: 'head2' }],
    })
    for (const r of result.ok ? result.reassignments : []) {
      h.ok('system', {
        type: 'reassign',
        stageId: r.stageId,
        target: { fromUserId: r.fromUserId, userId: r.userId },
      })
    }
    expect(h.state().pending).toEqual(['head2'])
    h.ok('head2', { type: 'approve', stageId: 'head' }).ok('vice', {
      type: 'approve',
      stageId: 'leader',
    })
    expect(h.state().status).toBe('approved')
  })

  test('without a named successor the stage’s spec is resolved again; with nobody it is no_assignee', () => {
    const flow: FlowTemplate = {
      id: 'f',
      name: 'f',
      subjectType: 'form',
      stages: [{ id: 'r', name: '审核', mode: 'sequential', assignees: [{ role: 'reviewer' }] }],
    }
    const instance = resolved(flow, leaveParams(1))
    const h = new Harness(instance).ok('clerk', { type: 'submit', stageId: 'start' })
    const state = h.state()
    expect(state.pending).toEqual(['rev1'])
    expect(reassignmentsFor(instance, state, 'rev1', directory(new Set(['rev1'])))).toEqual({
      ok: true,
      reassignments: [{ stageId: 'r', fromUserId: 'rev1', userId: 'rev2' }],
    })
    const none = reassignmentsFor(instance, state, 'rev1', directory(new Set(['rev1', 'rev2'])))
    expect(none).toMatchObject({ ok: false, error: { code: 'no_assignee', stageId: 'r' } })
    expect(reassignmentsFor(instance, state, 'vice', directory())).toEqual({
      ok: true,
      reassignments: [],
    })
  })
})

describe('time limits', () => {
  test('the deadline counts from the stage’s activation; reminders come before it', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(5))
    const h = new Harness(instance).ok('clerk', { type: 'submit', stageId: 'start' })
    const deadline = currentDeadline(instance, h.state())
    expect(deadline).toEqual({
      stageId: 'head',
      activatedAt: '2026-12-07T02:01:00.000Z',
      dueAt: '2026-12-08T02:01:00.000Z',
      remindAt: '2026-12-07T22:01:00.000Z',
    })
    expect(deadlineStatus(deadline!, '2026-12-07T12:00:00.000Z')).toBe('onTime')
    expect(deadlineStatus(deadline!, '2026-12-08T00:00:00.000Z')).toBe('dueSoon')
    expect(deadlineStatus(deadline!, '2026-12-08T02:01:00.000Z')).toBe('overdue')
    h.ok('clerk', { type: 'urge', stageId: 'head' })
    h.ok('head1', { type: 'approve', stageId: 'head' })
    expect(currentDeadline(instance, h.state())?.stageId).toBe('leader')
    h.ok('vice', { type: 'approve', stageId: 'leader' })
    expect(currentDeadline(instance, h.state())).toBeNull()
  })

  test('a reminder is a system action that changes no state', () => {
    const instance = resolved(LEAVE_FLOW, leaveParams(2))
    const h = new Harness(instance).ok('clerk', { type: 'submit', stageId: 'start' })
    h.ok('system', { type: 'remind', stageId: 'head' })
    expect(h.state().pending).toEqual(['head1'])
  })
})
