/** A small approval built with the real engine, for the approval screens' model tests. */
import { ApprovalInstanceSchema, reduce } from '../../../shared/approvals'
import type { ActionDraft, ApprovalInstance, RecordedAction } from '../../../shared/approvals'
import type { ApprovalView } from '../../../shared/http/routes/approvals'

export const DIGEST = 'a'.repeat(64)

/** 核稿 (u-rev) → 会签 或签 (u-a, u-b) → 签发 (u-chief), started by u-drafter on a document. */
export const INSTANCE: ApprovalInstance = {
  id: 'ap1',
  flowId: 'test',
  initiatorId: 'u-drafter',
  initiatorUnitId: 'unit1',
  createdAt: '2026-12-07T01:00:00.000Z',
  subject: { type: 'document', documentId: 'doc1' },
  stages: [
    { id: 'review', name: '核稿', kind: 'review', mode: 'sequential', assignees: ['u-rev'] },
    { id: 'cs', name: '会签', kind: 'countersign', mode: 'any', assignees: ['u-a', 'u-b'] },
    { id: 'signoff', name: '签发', kind: 'signoff', mode: 'sequential', assignees: ['u-chief'] },
  ],
  cc: [],
}

export const PEOPLE: ApprovalView['people'] = {
  'u-drafter': { id: 'u-drafter', displayName: '王拟稿' },
  'u-rev': { id: 'u-rev', displayName: '赵核稿' },
  'u-a': { id: 'u-a', displayName: '甲处长' },
  'u-b': { id: 'u-b', displayName: '乙处长' },
  'u-chief': { id: 'u-chief', displayName: '李局长' },
  'u-sec': { id: 'u-sec', displayName: '张秘书' },
}

let counter = 0

/** @returns a recorded action (id, nonce and time from a counter). */
export function rec(
  actorId: string,
  action: ActionDraft,
  outcome: 'applied' | 'superseded' = 'applied',
): RecordedAction {
  counter += 1
  const minute = String(counter % 60).padStart(2, '0')
  return {
    ...action,
    approvalId: 'ap1',
    nonce: `nonce-${String(counter).padStart(4, '0')}`,
    createdAt: `2026-12-07T02:${minute}:00.000Z`,
    id: `act${counter}`,
    actorId,
    outcome,
  } as RecordedAction
}

/** @returns the view the server would send for these actions. */
export function viewOf(actions: readonly RecordedAction[], instance = INSTANCE): ApprovalView {
  const state = reduce(instance, actions)
  return {
    id: instance.id,
    status: state.status,
    currentStageId: state.currentStageId,
    stages: [...state.stages],
    actions: [...actions],
    instance: ApprovalInstanceSchema.parse(instance),
    state,
    title: '关于做好冬季安全生产工作的通知',
    people: PEOPLE,
  }
}
