/**
 * The withdraw rule (撤回, internal to rules.ts and fold.ts): a person takes back their latest
 * decision while nobody has acted on it — a decision by anyone else after it closes the window,
 * except a co-signer's consent in the same all-of step, which did not depend on it. The initiator's
 * latest decision is their submit or resubmit, and withdrawing it withdraws the approval.
 */
import { effectiveActor } from './run'
import type { Run } from './run'
import { CONSENT_TYPES, DECISION_TYPES, WITHDRAWABLE_TYPES } from './stageRules'
import { START_STAGE_ID } from './types'
import type { VerdictReason } from './verdicts'

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
