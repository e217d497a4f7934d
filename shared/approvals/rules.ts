/**
 * The pure rules of DESIGN §7, checked in its order against a run (internal to reduce/judge):
 * `invalid_action` (approval, type and target fit the stage) → `replayed` → `not_assignee` (with
 * a delegation in force when judged) → `superseded` (stage no longer current, or 或签 decided by
 * another) → [`digest_mismatch`: the server's] → the rules (`too_late`, `not_your_turn`).
 */
import { SYSTEM_ACTOR_ID } from './actions'
import type { ApprovalAction } from './actions'
import { delegationCovers } from './delegation'
import type { Delegation } from './delegation'
import { holdsPlace, openStepOf } from './run'
import type { Run, StageRun } from './run'
import {
  DIGEST_TYPES,
  INITIATOR_TYPES,
  PLACE_TYPES,
  STAGE_BOUND_TYPES,
  fitsStage,
  isSystemType,
} from './stageRules'
import { targetProblem } from './targets'
import { START_STAGE_ID } from './types'
import { APPLIED, SUPERSEDED, refuse } from './verdicts'
import type { Verdict } from './verdicts'
import { withdrawTarget } from './withdrawal'

/** What the server knows besides the list; absent in reduce, which trusts the recorded list. */
export interface RuleContext {
  /** Receipt time, ISO UTC ms: a delegation must be in force then. */
  readonly now?: string
  /** Delegations to check `onBehalfOf` against; undefined: `onBehalfOf` is trusted (reduce). */
  readonly delegations?: readonly Delegation[]
  /** Account check for transfer and addSigner targets; undefined: not checked. */
  readonly isActive?: (userId: string) => boolean
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
  const badTarget = targetProblem(run, action, actor, stage, ctx.isActive)
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
