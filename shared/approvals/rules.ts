/**
 * The pure rules of DESIGN §7, checked in its order against a run (internal to reduce/judge):
 * `invalid_action` (approval, type and target fit the stage) → `replayed` → `not_assignee` (with
 * a delegation in force when judged) → `superseded` (stage no longer current, or 或签 decided by
 * another) → [`digest_mismatch`: the server's] → the rules (`too_late`, `not_your_turn`).
 */
import { delegationCovers } from './delegation'
import type { Delegation } from './delegation'
import { effectiveActor, holdsPlace, openStepOf } from './run'
import type { Run, StageRun } from './run'
import {
  CONSENT_TYPES,
  DECISION_TYPES,
  DIGEST_TYPES,
  INITIATOR_TYPES,
  PLACE_TYPES,
  STAGE_BOUND_TYPES,
  WITHDRAWABLE_TYPES,
  fitsStage,
  isSystemType,
} from './stageRules'
import { START_STAGE_ID, SYSTEM_ACTOR_ID } from './types'
import type { ApprovalAction } from './types'
import { APPLIED, SUPERSEDED, refuse } from './verdicts'
import type { Verdict, VerdictReason } from './verdicts'

/** What the server knows besides the list; absent in reduce, which trusts the recorded list. */
export interface RuleContext {
  /** Receipt time, ISO UTC ms: a delegation must be in force then. */
  readonly now?: string
  /** Delegations to check `onBehalfOf` against; undefined: `onBehalfOf` is trusted (reduce). */
  readonly delegations?: readonly Delegation[]
  /** Account check for transfer and addSigner targets; undefined: not checked. */
  readonly isActive?: (userId: string) => boolean
}

const SEPARATED: ReadonlySet<string> = new Set(['review', 'countersign'])

function targetProblem(
  run: Run,
  action: ApprovalAction,
  actor: string,
  stage: StageRun | undefined,
  ctx: RuleContext,
): Verdict | null {
  switch (action.type) {
    case 'return': {
      const to = action.target.stageId
      if (to === START_STAGE_ID) {
        return null
      }
      const index = run.stageIndex.get(to)
      const target = index === undefined ? undefined : run.stages[index]
      const ok =
        target !== undefined &&
        stage !== undefined &&
        target.index < stage.index &&
        target.def.skipped === undefined &&
        target.def.kind !== 'number'
      return ok ? null : refuse('invalid_action', 'bad_target')
    }
    case 'transfer':
    case 'addSigner': {
      const users = action.type === 'transfer' ? [action.target.userId] : action.target.userIds
      const separated = stage !== undefined && SEPARATED.has(stage.def.kind)
      const bad =
        users.length === 0 ||
        new Set(users).size < users.length ||
        users.some((user) => user.length === 0 || user === actor || user === SYSTEM_ACTOR_ID) ||
        (separated && users.includes(run.instance.initiatorId))
      if (bad) {
        return refuse('invalid_action', 'bad_target')
      }
      const isActive = ctx.isActive
      if (isActive !== undefined && users.some((user) => !isActive(user))) {
        return refuse('invalid_action', 'inactive_target')
      }
      return null
    }
    case 'number':
      return action.target.documentNumber.length > 0 ? null : refuse('invalid_action', 'bad_target')
    case 'reassign':
      return action.target.fromUserId === action.target.userId
        ? refuse('invalid_action', 'bad_target')
        : null
    default:
      return null
  }
}

function isParticipant(run: Run, user: string): boolean {
  return (
    user === run.instance.initiatorId ||
    run.instance.cc.includes(user) ||
    run.stages.some((stage) => stage.def.assignees.includes(user) || holdsPlace(stage, user))
  )
}

/** A withdraw may come from someone whose place moved on (they transferred it). */
function handedOn(stage: StageRun, user: string, type: ApprovalAction['type']): boolean {
  return type === 'withdraw' && stage.subs.has(user)
}

/** The latest in-force decision by `user`, and the decisions by others after it. */
function latestDecision(run: Run, user: string): { index: number; after: number[] } | null {
  const after: number[] = []
  for (let i = run.applied.length - 1; i >= 0; i--) {
    const index = run.applied[i] ?? -1
    const action = run.actions[index]
    if (action === undefined || run.withdrawn.has(index) || !DECISION_TYPES.has(action.type)) {
      continue
    }
    if (effectiveActor(action) === user) {
      return { index, after }
    }
    after.push(index)
  }
  return null
}

/**
 * Finds the decision a withdraw by `user` declared at `stageId` takes back.
 * @returns its list index, or why it cannot be withdrawn
 */
export function withdrawTarget(
  run: Run,
  user: string,
  stageId: string,
): { ok: true; index: number } | { ok: false; reason: VerdictReason } {
  const found = latestDecision(run, user)
  const action = found === null ? undefined : run.actions[found.index]
  if (found === null || action === undefined) {
    return { ok: false, reason: 'nothing_to_withdraw' }
  }
  const initiatorOwn = stageId === START_STAGE_ID
  if (initiatorOwn ? action.stageId !== START_STAGE_ID : !WITHDRAWABLE_TYPES.has(action.type)) {
    return { ok: false, reason: 'not_latest' }
  }
  if (action.stageId !== stageId) {
    return { ok: false, reason: 'not_latest' }
  }
  const place = run.places.get(found.index)
  const blocked = found.after.some((index) => {
    const other = run.actions[index]
    const otherPlace = run.places.get(index)
    // A co-signer of the same all-of step did not act on this decision: it does not block.
    const parallel =
      other !== undefined &&
      CONSENT_TYPES.has(other.type) &&
      CONSENT_TYPES.has(action.type) &&
      place !== undefined &&
      otherPlace !== undefined &&
      otherPlace.stage === place.stage &&
      otherPlace.step === place.step
    return !parallel
  })
  return blocked ? { ok: false, reason: 'next_acted' } : { ok: true, index: found.index }
}

function placeRules(action: ApprovalAction, actor: string, stage: StageRun): Verdict {
  const open = openStepOf(stage, actor)
  if (open < 0) {
    return refuse('too_late', 'already_acted')
  }
  if (open > stage.step) {
    return refuse('not_your_turn', 'later_step')
  }
  const step = stage.steps[open]
  if (action.type === 'transfer' && step?.users.includes(action.target.userId)) {
    return refuse('invalid_action', 'already_assignee')
  }
  if (action.type === 'addSigner') {
    const taken = action.target.userIds.some((user) => openStepOf(stage, user) >= 0)
    if (taken) {
      return refuse('invalid_action', 'already_assignee')
    }
  }
  return APPLIED
}

function stateRules(
  run: Run,
  action: ApprovalAction,
  actor: string,
  stage: StageRun | undefined,
): Verdict {
  const running = run.status === 'running'
  switch (action.type) {
    case 'submit':
      return run.submitted ? refuse('too_late', 'already_submitted') : APPLIED
    case 'resubmit':
      if (!running) {
        return refuse('too_late', 'finished')
      }
      return run.submitted && run.current === START_STAGE_ID
        ? APPLIED
        : refuse('not_your_turn', 'not_returned')
    case 'withdraw': {
      if (!running) {
        return refuse('too_late', 'finished')
      }
      if (action.stageId === START_STAGE_ID && run.current === START_STAGE_ID) {
        return APPLIED
      }
      const target = withdrawTarget(run, actor, action.stageId)
      return target.ok ? APPLIED : refuse('too_late', target.reason)
    }
    case 'comment':
      return APPLIED
    case 'reassign':
      if (!running) {
        return refuse('too_late', 'finished')
      }
      return stage !== undefined && openStepOf(stage, action.target.fromUserId) >= stage.step
        ? APPLIED
        : refuse('too_late', 'no_open_place')
    case 'reopen':
      if (!running) {
        return refuse('too_late', 'finished')
      }
      return stage?.status === 'done' ? APPLIED : refuse('too_late', 'not_signed_off')
    case 'remind':
      return running ? APPLIED : refuse('too_late', 'finished')
    default:
      return stage !== undefined && PLACE_TYPES.has(action.type)
        ? placeRules(action, actor, stage)
        : APPLIED
  }
}

/**
 * Judges one action against the run, in the contract's order, except the device, signature and
 * digest checks, which need the server.
 */
export function evaluate(
  run: Run,
  action: ApprovalAction,
  actorId: string,
  ctx: RuleContext,
): Verdict {
  const { instance } = run
  if (action.approvalId !== instance.id) {
    return refuse('invalid_action', 'wrong_approval')
  }
  const system = isSystemType(action.type)
  if (system !== (actorId === SYSTEM_ACTOR_ID)) {
    return refuse('invalid_action', system ? 'system_only' : 'not_system')
  }
  const stageIndex = run.stageIndex.get(action.stageId)
  const stage = stageIndex === undefined ? undefined : run.stages[stageIndex]
  const atStart = action.stageId === START_STAGE_ID
  if (stage === undefined && !atStart) {
    return refuse('invalid_action', 'unknown_stage')
  }
  if (!fitsStage(action.type, stage?.def.kind ?? 'start')) {
    return refuse('invalid_action', 'type_not_for_stage')
  }
  if (action.onBehalfOf !== undefined && (action.onBehalfOf === actorId || system)) {
    return refuse('invalid_action', 'self_delegation')
  }
  const needsDigest = DIGEST_TYPES.has(action.type) && instance.subject.type === 'document'
  if (needsDigest && action.contentDigest === undefined) {
    return refuse('invalid_action', 'digest_required')
  }
  if (stage?.def.skipped !== undefined && action.type !== 'comment') {
    return refuse('invalid_action', 'stage_skipped')
  }
  const actor = action.onBehalfOf ?? actorId
  const badTarget = targetProblem(run, action, actor, stage, ctx)
  if (badTarget !== null) {
    return badTarget
  }
  if (run.nonces.has(action.nonce)) {
    return refuse('replayed', 'nonce_seen')
  }
  if (action.onBehalfOf !== undefined && ctx.delegations !== undefined) {
    const act = { leader: action.onBehalfOf, deputy: actorId, type: action.type }
    if (!delegationCovers(ctx.delegations, { ...act, at: ctx.now ?? action.createdAt })) {
      return refuse('not_assignee', 'no_delegation')
    }
  }
  if (!system) {
    if (action.type === 'comment') {
      if (!isParticipant(run, actor)) {
        return refuse('not_assignee', 'not_participant')
      }
    } else if (atStart || INITIATOR_TYPES.has(action.type)) {
      if (actor !== instance.initiatorId) {
        return refuse('not_assignee', 'not_initiator')
      }
    } else if (
      stage === undefined ||
      !(holdsPlace(stage, actor) || handedOn(stage, actor, action.type))
    ) {
      return refuse('not_assignee', 'not_participant')
    }
  }
  if (!run.submitted && action.type !== 'submit' && action.type !== 'comment' && !atStart) {
    return refuse('not_your_turn', 'not_submitted')
  }
  if (stage !== undefined && STAGE_BOUND_TYPES.has(action.type)) {
    if (run.status !== 'running' || run.current !== stage.index) {
      return SUPERSEDED
    }
    // 或签: a step completed by someone else leaves this holder's place decided.
    const decided = stage.steps
      .slice(0, stage.step)
      .some((step) => step.users.includes(actor) && !step.consented.has(actor))
    if (decided && PLACE_TYPES.has(action.type)) {
      return SUPERSEDED
    }
  }
  return stateRules(run, action, actor, stage)
}
