/**
 * The transactional core of every approval command: lock the approval's row, judge the candidate
 * with the engine (in the contract's order, with the digest check between `superseded` and the
 * rules), record it, record the system duties it makes due (编号 draws from the register in the
 * same transaction), and rewrite the 待办 rows, participants and summary. A refusal records only
 * its audit row.
 */
import {
  DIGEST_TYPES,
  SYSTEM_ACTOR_ID,
  documentNumberCounter,
  formatCounterNumber,
  judge,
  reduce,
  systemDuties,
} from '../../shared/approvals'
import type {
  ApprovalAction,
  ApprovalErrorCode,
  ApprovalInstance,
  ApprovalState,
  CurrentDigests,
  Delegation,
  RecordedAction,
} from '../../shared/approvals'
import type { DocTypeId } from '../../shared/gongwen/docTypes'
import { newId } from '../auth/secrets'
import type { AuditActor } from '../audit/AuditService'
import type { ApprovalActionRow, ApprovalRow } from '../storage/approvals/ApprovalStore'
import type { UnitOfWork } from '../storage/UnitOfWork'
import {
  grantDocumentAccess,
  participantsOf,
  remindedSince,
  summaryOf,
  todoRowsOf,
} from './projection'
import { archiveWhenFiled } from './archiveOnFiling'

/** The document's content as the action saw it (read before the transaction). */
export interface ContentNow extends CurrentDigests {
  /** The strict encoding the digest covers (kept for the evidence file). */
  readonly content: string
}

/** The register a number stage draws from (read before the transaction). */
export interface RegisterInfo {
  readonly unitId: string
  /** null: the unit has no 机关代字; 编号 waits and says so. */
  readonly agencyCode: string | null
  readonly docType: DocTypeId
}

/** A candidate action with what the server knows besides the list. */
export interface Candidate {
  readonly action: ApprovalAction
  readonly actorId: string
  readonly deviceId: string
  readonly signature: string
  readonly delegations: readonly Delegation[]
  readonly audit: { readonly actor: AuditActor; readonly ip: string | null }
}

/** The outcome of a command. */
export type Recorded =
  | {
      readonly kind: 'refused'
      readonly code: ApprovalErrorCode
      readonly reason: string
      readonly message: string
    }
  | {
      readonly kind: 'recorded'
      readonly outcome: 'applied' | 'superseded'
      readonly row: ApprovalRow
      readonly instance: ApprovalInstance
      /** Every action row, those of this command included. */
      readonly rows: readonly ApprovalActionRow[]
      readonly actions: readonly RecordedAction[]
      readonly state: ApprovalState
      /** Users whose 待办 changed (before and after), for their counts. */
      readonly affected: readonly string[]
      /** System actions recorded by this command. */
      readonly system: readonly RecordedAction[]
      /** The document this command archived (the flow's 归档 completed), else null. */
      readonly archived: string | null
    }

/** What a command needs besides its candidate. */
export interface CommandInput {
  readonly approvalId: string
  readonly now: number
  readonly content: ContentNow | null
  readonly register: RegisterInfo | null
  /** Settles the account status of transfer and addSigner targets. */
  readonly isActive?: (userId: string) => boolean
}

/** A system action a job asks for (the engine's rules still judge it). */
export type SystemRequest =
  /** 发文复核: record `reopen` when the content (input.content) changed substantively since 签发. */
  | { readonly kind: 'reopen'; readonly ignorePunctuation?: boolean }
  /** The current stage's reminder, once per activation. */
  | { readonly kind: 'remind' }
  /** A deactivated holder's open place goes to a successor. */
  | {
      readonly kind: 'reassign'
      readonly stageId: string
      readonly fromUserId: string
      readonly userId: string
    }

/** @returns the recorded list of an approval's rows. */
export function recordedOf(rows: readonly ApprovalActionRow[]): RecordedAction[] {
  return rows.map((row) => JSON.parse(row.body) as RecordedAction)
}

/**
 * Judges and records `candidate` (a client action), or, with none, the system action a job asks
 * for; then the system duties due (编号).
 * @throws when the approval does not exist (the caller checked it before)
 */
export async function recordAction(
  uow: UnitOfWork,
  input: CommandInput,
  candidate: Candidate | null,
  request: SystemRequest | null = null,
): Promise<Recorded> {
  const row = await uow.approvals.lock(input.approvalId)
  if (row === null) {
    throw new Error(`approval ${input.approvalId} vanished`)
  }
  const instance = JSON.parse(row.instance) as ApprovalInstance
  const rows: ApprovalActionRow[] = await uow.approvals.actions(row.id)
  const actions = recordedOf(rows)
  const before = await uow.approvals.todoUsers(row.id)
  const iso = new Date(input.now).toISOString()
  const appended: RecordedAction[] = []
  let seq = rows.length
  const append = async (
    recorded: RecordedAction,
    signed: { deviceId: string; signature: string } | null,
    content: string | null,
  ): Promise<void> => {
    seq += 1
    const stored: ApprovalActionRow = {
      approval_id: row.id,
      seq,
      id: recorded.id,
      nonce: recorded.nonce,
      type: recorded.type,
      actor_id: recorded.actorId,
      device_id: signed?.deviceId ?? null,
      signature: signed?.signature ?? null,
      outcome: recorded.outcome,
      body: JSON.stringify(recorded),
      content,
      received_at: input.now,
    }
    await uow.approvals.appendAction(stored)
    rows.push(stored)
    actions.push(recorded)
    appended.push(recorded)
  }

  let outcome: 'applied' | 'superseded' = 'applied'
  if (candidate !== null) {
    const { action, actorId } = candidate
    const verdict = judge(instance, actions, action, actorId, {
      now: iso,
      delegations: candidate.delegations,
      ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
    })
    const refuse = (code: ApprovalErrorCode, reason: string, message: string): Recorded => {
      uow.audit({
        ...candidate.audit,
        action: 'approval.action_refused',
        target: row.id,
        detail: { code, reason, type: action.type, stageId: action.stageId, nonce: action.nonce },
      })
      return { kind: 'refused', code, reason, message }
    }
    if (!verdict.ok && !['too_late', 'not_your_turn'].includes(verdict.code)) {
      return refuse(verdict.code, verdict.reason, verdict.message)
    }
    const bound = DIGEST_TYPES.has(action.type) && instance.subject.type === 'document'
    const superseded = verdict.ok && verdict.outcome === 'superseded'
    if (!superseded && bound && action.contentDigest !== input.content?.digest) {
      return refuse(
        'digest_mismatch',
        'digest_mismatch',
        '公文内容已变化，请刷新后重新审阅 (the digest is not the document’s current one)',
      )
    }
    if (!verdict.ok) {
      return refuse(verdict.code, verdict.reason, verdict.message)
    }
    outcome = verdict.outcome
    const recorded = {
      ...action,
      id: newId(),
      actorId,
      outcome,
      receivedAt: iso,
      ...(bound && !superseded && input.content !== null
        ? { substantiveDigest: input.content.substantiveDigest }
        : {}),
    } as RecordedAction
    await append(
      recorded,
      { deviceId: candidate.deviceId, signature: candidate.signature },
      bound && !superseded ? (input.content?.content ?? null) : null,
    )
    uow.audit({
      ...candidate.audit,
      action: outcome === 'applied' ? 'approval.action' : 'approval.action_superseded',
      target: row.id,
      detail: { actionId: recorded.id, type: action.type, stageId: action.stageId },
    })
  }

  const system = async (action: RecordedAction, content: string | null): Promise<boolean> => {
    const verdict = judge(instance, actions, action, SYSTEM_ACTOR_ID, { now: iso })
    if (!verdict.ok || verdict.outcome !== 'applied') {
      return false
    }
    await append(action, null, content)
    uow.audit({
      actor: { id: null, name: 'system' },
      action: `approval.${action.type}`,
      target: row.id,
      detail: { actionId: action.id, stageId: action.stageId },
    })
    return true
  }
  const base = (stageId: string) => ({
    approvalId: row.id,
    stageId,
    nonce: newId(),
    createdAt: iso,
    id: newId(),
    actorId: SYSTEM_ACTOR_ID,
    outcome: 'applied' as const,
    receivedAt: iso,
  })

  let state = reduce(instance, actions)
  if (request?.kind === 'remind') {
    const stageId = state.currentStageId
    const activatedAt = state.stages.find((stage) => stage.id === stageId)?.activatedAt
    if (
      stageId !== null &&
      activatedAt !== undefined &&
      !remindedSince(actions, stageId, activatedAt)
    ) {
      await system({ ...base(stageId), type: 'remind' }, null)
    }
  } else if (request?.kind === 'reassign') {
    await system(
      {
        ...base(request.stageId),
        type: 'reassign',
        target: { fromUserId: request.fromUserId, userId: request.userId },
      },
      null,
    )
  }
  state = reduce(instance, actions)
  // Each duty is recorded at most once per command; a 编号 completes its stage and moves on.
  for (let round = 0; round < 3; round++) {
    const duties = systemDuties(
      instance,
      state,
      actions,
      request?.kind === 'reopen' && round === 0 ? (input.content ?? undefined) : undefined,
      request?.kind === 'reopen' ? { ignorePunctuation: request.ignorePunctuation ?? true } : {},
    )
    let recordedOne = false
    for (const due of duties) {
      if (due.kind === 'number') {
        const register = input.register
        if (register === null || register.agencyCode === null) {
          // 编号 waits until the unit (or an ancestor) has a 机关代字; the audit log says why.
          uow.audit({
            actor: { id: null, name: 'system' },
            action: 'approval.number_waiting',
            target: row.id,
            detail: { reason: 'no_agency_code', unitId: register?.unitId ?? null },
          })
          continue
        }
        const counter = documentNumberCounter({
          unitId: register.unitId,
          agencyCode: register.agencyCode,
          docType: register.docType,
          numberedAt: iso,
        })
        const serial = await uow.approvals.nextSerial(counter.key)
        const documentNumber = formatCounterNumber(counter, register.agencyCode, serial)
        recordedOne =
          (await system(
            { ...base(due.stageId), type: 'number', target: { documentNumber } },
            null,
          )) || recordedOne
      } else if (request?.kind === 'reopen' && input.content !== null) {
        recordedOne =
          (await system(
            {
              ...base(due.stageId),
              type: 'reopen',
              contentDigest: input.content.digest,
              substantiveDigest: input.content.substantiveDigest,
            },
            input.content.content,
          )) || recordedOne
      }
    }
    if (!recordedOne) {
      break
    }
    state = reduce(instance, actions)
  }

  if (appended.length === 0) {
    // Nothing was due (a reminder already sent): the summary still drops what is no longer due.
    await uow.approvals.updateSummary(row.id, summaryOf(instance, state, input.now, actions))
    return { kind: 'refused', code: 'too_late', reason: 'nothing_due', message: '无需处理' }
  }
  await uow.approvals.updateSummary(row.id, summaryOf(instance, state, input.now, actions))
  const archived = await archiveWhenFiled(uow, instance, state, row.status === 'running', input.now)
  const todos = todoRowsOf(instance, state, actions, input.now)
  const participantsBefore = new Set(await uow.approvals.participants(row.id))
  const participants = participantsOf(instance, state, actions)
  await uow.approvals.replaceTodos(row.id, todos, participants)
  await grantDocumentAccess(
    uow,
    instance,
    participants.filter((user) => !participantsBefore.has(user)),
  )
  const affected = [...new Set([...before, ...todos.map((todo) => todo.user_id)])]
  return {
    kind: 'recorded',
    outcome,
    row,
    instance,
    rows,
    actions,
    state,
    affected,
    system: appended.filter((action) => action.actorId === SYSTEM_ACTOR_ID),
    archived,
  }
}
