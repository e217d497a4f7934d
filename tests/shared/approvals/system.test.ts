import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { z } from 'zod'
import { RecordedActionSchema } from '../../../shared/approvals/actionSchema'
import { GONGWEN_OUTGOING_FLOW } from '../../../shared/approvals/builtinFlows'
import {
  documentNumberCounter,
  formatCounterNumber,
} from '../../../shared/approvals/documentNumber'
import { ApprovalInstanceSchema } from '../../../shared/approvals/instanceSchema'
import { reduce } from '../../../shared/approvals/reduce'
import { resolveFlow } from '../../../shared/approvals/resolve'
import { signoffRecords } from '../../../shared/approvals/signoff'
import { systemDuties } from '../../../shared/approvals/systemDuties'
import { contentDigests } from '../../../shared/gongwen/contentDigest'
import { Harness, T0, codeOf, directory, instanceOf } from './fixtures'

function draft(text: string): Y.Doc {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  doc.getXmlFragment('body').insert(0, [paragraph])
  doc.getMap('meta').set('title', '关于做好防汛工作的通知')
  return doc
}

function rewrite(doc: Y.Doc, text: string): void {
  const paragraph = doc.getXmlFragment('body').get(0)
  const node = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
  if (node instanceof Y.XmlText) {
    node.delete(0, node.length)
    node.insert(0, text)
  }
}

function gongwen(): Harness {
  const result = resolveFlow(
    GONGWEN_OUTGOING_FLOW,
    {
      approvalId: 'ap-doc',
      initiatorId: 'clerk',
      initiatorUnitId: 'sec1',
      createdAt: new Date(T0).toISOString(),
      subject: { type: 'document', documentId: 'doc-1' },
    },
    directory(),
  )
  if (!result.ok) {
    throw new Error(result.error.message)
  }
  return new Harness(result.instance)
}

describe('the server’s duties (发文复核 and 编号), end to end with content digests', () => {
  test('a punctuation-only edit after 签发 re-opens nothing; a substantive one re-opens it for the signer', () => {
    const doc = draft('请于12月10日前报送材料，逾期不候。')
    const h = gongwen().ok('clerk', { type: 'submit', stageId: 'start' })
    const bound = (d: Y.Doc) => {
      const { digest, substantiveDigest } = contentDigests(d)
      return [{ contentDigest: digest }, { substantiveDigest }] as const
    }
    const [review, reviewRecord] = bound(doc)
    h.ok('head1', { type: 'approve', stageId: 'review', ...review }, reviewRecord)
    const [sign, signRecord] = bound(doc)
    h.ok('chief', { type: 'signoff', stageId: 'signoff', ...sign, opinion: '同意' }, signRecord)
    expect(systemDuties(h.instance, h.state(), h.actions, contentDigests(doc))).toEqual([
      { kind: 'number', stageId: 'number' },
    ])

    rewrite(doc, '请于12月10日前报送材料；逾期不候')
    expect(systemDuties(h.instance, h.state(), h.actions, contentDigests(doc))).toEqual([
      { kind: 'number', stageId: 'number' },
    ])
    // A deployment that turned the punctuation rule off: the same edit re-opens the 签发.
    expect(
      systemDuties(h.instance, h.state(), h.actions, contentDigests(doc), {
        ignorePunctuation: false,
      }),
    ).toContainEqual({ kind: 'reopen', stageId: 'signoff' })

    rewrite(doc, '请于12月15日前报送材料，逾期不候。')
    const now = contentDigests(doc)
    const duties = systemDuties(h.instance, h.state(), h.actions, now)
    expect(duties).toContainEqual({ kind: 'reopen', stageId: 'signoff' })
    h.ok('system', { type: 'reopen', stageId: 'signoff', contentDigest: now.digest })
    const state = h.state()
    expect(state).toMatchObject({ currentStageId: 'signoff', pending: ['chief'] })
    expect(state.reopened?.staleActionIds).toEqual(['act-3'])
    expect(systemDuties(h.instance, state, h.actions, now)).toEqual([])
    // Signing the new content again clears it.
    h.ok(
      'chief',
      { type: 'signoff', stageId: 'signoff', contentDigest: now.digest },
      { substantiveDigest: now.substantiveDigest },
    )
    expect(systemDuties(h.instance, h.state(), h.actions, now)).toEqual([
      { kind: 'number', stageId: 'number' },
    ])
  })

  test('the number duty ends when the register’s number is recorded; numbers restart each Shanghai year', () => {
    const h = gongwen()
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'review' })
      .ok('chief', { type: 'signoff', stageId: 'signoff' })
    const counter = documentNumberCounter({
      unitId: 'office',
      agencyCode: '鲁政办发',
      docType: 'notice',
      numberedAt: h.now(),
    })
    const documentNumber = formatCounterNumber(counter, '鲁政办发', 1)
    expect(documentNumber).toBe('鲁政办发〔2026〕1号')
    h.ok('system', { type: 'number', stageId: 'number', target: { documentNumber } })
    expect(systemDuties(h.instance, h.state(), h.actions)).toEqual([])
    expect(h.state()).toMatchObject({ currentStageId: 'seal', documentNumber, pending: ['reg'] })
  })

  test('a form approval has no digest duties', () => {
    const h = new Harness(
      instanceOf([{ id: 'a', assignees: ['head1'] }], {
        subject: { type: 'form', formId: 'leave', data: {} },
      }),
    ).ok('clerk', { type: 'submit', stageId: 'start' })
    expect(
      systemDuties(h.instance, h.state(), h.actions, { digest: 'x', substantiveDigest: 'y' }),
    ).toEqual([])
  })
})

describe('签发 records', () => {
  test('show the signer, the deputy who signed for them (代), the opinion or 圈阅, and the full Shanghai date', () => {
    const h = gongwen()
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'review' })
    h.delegations = [
      { from: 'chief', to: 'dep', scope: 'signoff', until: '2027-01-01T00:00:00.000Z' },
    ]
    h.ok('dep', { type: 'signoff', stageId: 'signoff', onBehalfOf: 'chief' })
    expect(signoffRecords(h.state())).toEqual([
      {
        stageId: 'signoff',
        actionId: 'act-3',
        signerId: 'chief',
        deputyId: 'dep',
        circled: true,
        date: '2026年12月7日',
        at: '2026-12-07T02:03:00.000Z',
      },
    ])
  })
})

describe('会签 reject', () => {
  test('a co-signer’s reject ends the approval', () => {
    const h = new Harness(
      instanceOf([{ id: 'c', kind: 'countersign', mode: 'all', assignees: ['head1', 'head2'] }]),
    )
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'approve', stageId: 'c' })
      .ok('head2', { type: 'reject', stageId: 'c', opinion: '不同意' })
    expect(h.state()).toMatchObject({ status: 'rejected', currentStageId: null, pending: [] })
    expect(codeOf(h.act('head1', { type: 'withdraw', stageId: 'c' }))).toBe('too_late')
  })
})

describe('stored instances and lists', () => {
  test('parse with the schemas, system actions included; a null or unknown field is refused', () => {
    const h = gongwen()
      .ok('clerk', { type: 'submit', stageId: 'start' })
      .ok('head1', { type: 'transfer', stageId: 'review', target: { userId: 'head2' } })
      .ok('system', {
        type: 'reassign',
        stageId: 'review',
        target: { fromUserId: 'head2', userId: 'legalHead' },
      })
      .ok(
        'legalHead',
        { type: 'approve', stageId: 'review' },
        { receivedAt: '2026-12-07T02:04:00.500Z', substantiveDigest: 'f'.repeat(64) },
      )
    const stored = JSON.parse(JSON.stringify({ instance: h.instance, actions: h.actions }))
    const instance = ApprovalInstanceSchema.parse(stored.instance)
    const actions = z.array(RecordedActionSchema).parse(stored.actions)
    expect(reduce(instance, actions)).toEqual(h.state())
    expect(RecordedActionSchema.safeParse({ ...stored.actions[0], opinion: null }).success).toBe(
      false,
    )
    expect(RecordedActionSchema.safeParse({ ...stored.actions[0], extra: 1 }).success).toBe(false)
    expect(
      ApprovalInstanceSchema.safeParse({
        ...stored.instance,
        stages: [{ ...stored.instance.stages[0], kind: 'sign' }],
      }).success,
    ).toBe(false)
  })
})
