/**
 * `judge(instance, actions, candidate, actorId, ctx)`: the verdict the relay gives a new action
 * (after device and signature checks, before the digest check, which needs the document), and the
 * outcome a client predicts for an action it queues offline (the server's order decides).
 *
 * @example
 *   const verdict = judge(instance, recorded, body.action, user.id, { now, delegations })
 *   if (verdict.ok) record({ ...body.action, id, actorId: user.id, outcome: verdict.outcome })
 */
import type { Delegation } from './delegation'
import { fold } from './fold'
import { evaluate } from './rules'
import type { ApprovalInstance } from './types'
import type { ApprovalAction, RecordedAction } from './actions'
import type { Verdict } from './verdicts'

/** What the server knows besides the list. */
export interface JudgeContext {
  /** Receipt time, ISO UTC ms; a delegation must be in force then. */
  readonly now: string
  /** Delegations given to the actor (not revoked); `onBehalfOf` needs one covering the type. */
  readonly delegations?: readonly Delegation[]
  /** Whether a transfer or addSigner target may act; unchecked when absent. */
  readonly isActive?: (userId: string) => boolean
}

/**
 * Judges a candidate action by `actorId` (the signer; `onBehalfOf` names the leader) against the
 * recorded list. The first failing check answers, in the order of DESIGN §7.
 * @returns `{ ok: true, outcome }` (record it with that outcome) or the refusal
 */
export function judge(
  instance: ApprovalInstance,
  actions: readonly RecordedAction[],
  candidate: ApprovalAction,
  actorId: string,
  ctx: JudgeContext,
): Verdict {
  const { run } = fold(instance, actions)
  return evaluate(run, candidate, actorId, { ...ctx, delegations: ctx.delegations ?? [] })
}
