/**
 * Pure projections of an approval for storage and clients: its 待办 rows and participants (kept
 * in the transaction of each action), and the summary fields of its row.
 */
import { SYSTEM_ACTOR_ID, currentDeadline } from '../../shared/approvals'
import type { ApprovalInstance, ApprovalState, RecordedAction } from '../../shared/approvals'
import type { TodoRow } from '../storage/approvals/ApprovalStore'
import type { UnitOfWork } from '../storage/UnitOfWork'

/**
 * Everyone who may read the approval and its room: the initiator, 抄送, every assignee the
 * instance names and every holder of a place now (transfers, added signers, reassignments), and
 * everyone who acted or was acted for (代). Document members who are none of these do not see it.
 */
export function participantsOf(
  instance: ApprovalInstance,
  state: ApprovalState,
  actions: readonly RecordedAction[],
): string[] {
  const users = new Set<string>([instance.initiatorId, ...instance.cc])
  for (const stage of instance.stages) {
    stage.assignees.forEach((user) => users.add(user))
  }
  for (const stage of state.stages) {
    stage.assignees.forEach((user) => users.add(user))
  }
  for (const action of actions) {
    if (action.actorId !== SYSTEM_ACTOR_ID) {
      users.add(action.actorId)
    }
    if (action.onBehalfOf !== undefined) {
      users.add(action.onBehalfOf)
    }
  }
  return [...users]
}

/**
 * The 待办 rows: 待我审批 (who must act now; ⚠ when the stage is re-opened by 发文复核), 我发起的
 * (the initiator), 我已处理 (everyone who acted or was acted for and is not pending), 抄送我.
 */
export function todoRowsOf(
  instance: ApprovalInstance,
  state: ApprovalState,
  actions: readonly RecordedAction[],
  now: number,
): TodoRow[] {
  const rows: TodoRow[] = []
  const approvalId = instance.id
  const pending = new Set(state.status === 'running' ? state.pending : [])
  const reopened =
    state.reopened !== null && state.reopened.stageId === state.currentStageId ? 1 : 0
  const stageKind =
    state.stages.find((stage) => stage.id === state.currentStageId)?.kind ??
    instance.stages.find((stage) => stage.id === state.currentStageId)?.kind ??
    null
  for (const user of pending) {
    rows.push({
      user_id: user,
      approval_id: approvalId,
      box: 'pending',
      reopened,
      stage_kind: stageKind,
      updated_at: now,
    })
  }
  rows.push({
    user_id: instance.initiatorId,
    approval_id: approvalId,
    box: 'initiated',
    reopened: 0,
    stage_kind: null,
    updated_at: now,
  })
  const done = new Set<string>()
  for (const action of actions) {
    if (action.actorId === SYSTEM_ACTOR_ID || action.type === 'submit') {
      continue
    }
    done.add(action.actorId)
    if (action.onBehalfOf !== undefined) {
      done.add(action.onBehalfOf)
    }
  }
  for (const user of done) {
    if (!pending.has(user)) {
      rows.push({
        user_id: user,
        approval_id: approvalId,
        box: 'done',
        reopened: 0,
        stage_kind: null,
        updated_at: now,
      })
    }
  }
  for (const user of new Set(instance.cc)) {
    rows.push({
      user_id: user,
      approval_id: approvalId,
      box: 'cc',
      reopened: 0,
      stage_kind: null,
      updated_at: now,
    })
  }
  return rows
}

/** @returns the row's summary fields for the state. */
export function summaryOf(
  instance: ApprovalInstance,
  state: ApprovalState,
  now: number,
  actions: readonly RecordedAction[] = [],
): {
  status: string
  current_stage_id: string | null
  current_stage_name: string | null
  deadline_at: number | null
  remind_at: number | null
  updated_at: number
} {
  const stage = instance.stages.find((item) => item.id === state.currentStageId)
  const deadline = currentDeadline(instance, state)
  const name =
    state.currentStageId === null
      ? null
      : (stage?.name ?? (state.status === 'running' ? '发起' : null))
  return {
    status: state.status,
    current_stage_id: state.currentStageId,
    current_stage_name: name,
    deadline_at: deadline === null ? null : Date.parse(deadline.dueAt),
    remind_at:
      deadline?.remindAt === undefined ||
      remindedSince(actions, deadline.stageId, deadline.activatedAt)
        ? null
        : Date.parse(deadline.remindAt),
    updated_at: now,
  }
}

/**
 * Gives the document's new participants who are not its members the 审阅 right (commenter: they
 * read it and propose changes as tracked 修订), in the command's transaction, audited.
 * @returns the users granted
 */
export async function grantDocumentAccess(
  uow: UnitOfWork,
  instance: ApprovalInstance,
  users: readonly string[],
): Promise<string[]> {
  if (instance.subject.type !== 'document') {
    return []
  }
  const documentId = instance.subject.documentId
  if (((await uow.documents.lifecycle(documentId))?.deletedAt ?? null) !== null) {
    // In the 回收站 nobody has a role (memberRole answers null): grant nothing over the owner's.
    return []
  }
  const granted: string[] = []
  for (const user of users) {
    if ((await uow.documents.memberRole(documentId, user)) === null) {
      await uow.documents.setMember(documentId, user, 'commenter')
      granted.push(user)
    }
  }
  if (granted.length > 0) {
    uow.audit({
      actor: { id: null, name: 'system' },
      action: 'acl.member_set',
      target: documentId,
      detail: { approvalId: instance.id, role: 'commenter', users: granted },
    })
  }
  return granted
}

/** @returns whether a `remind` was recorded for the stage since it became current. */
export function remindedSince(
  actions: readonly RecordedAction[],
  stageId: string,
  activatedAt: string,
): boolean {
  return actions.some(
    (action) =>
      action.type === 'remind' && action.stageId === stageId && action.createdAt >= activatedAt,
  )
}
