/**
 * Folds an approval's recorded actions into a run, re-judging each one against the state before
 * it (internal to reduce/judge). The recorded outcome is honoured: a `superseded` action is never
 * applied, and an `applied` one the rules refuse is left out and reported as an anomaly, so a
 * tampered list cannot change the state (and offline verification sees it).
 *
 * A person's withdraw takes back their latest decision: the fold replays the applied actions
 * without it, which gives the state as if it had never been taken (the rule that nobody acted after
 * it makes that replay sound). Cost: one replay per withdraw, linear in the list — except a
 * co-signer's consent that completed nothing, which is taken back in place.
 */
import { applyAction } from './apply'
import { evaluate } from './rules'
import { withdrawTarget } from './withdrawal'
import { CONSENT_TYPES } from './stageRules'
import { effectiveActor, initRun } from './run'
import type { Run } from './run'
import type { Anomaly, ActionEffect } from './state'
import { START_STAGE_ID } from './types'
import type { ApprovalInstance } from './types'
import type { RecordedAction } from './actions'

/** A folded list: the run after the last action, and what became of each action. */
export interface Folded {
  readonly run: Run
  readonly effects: readonly ActionEffect[]
  readonly anomalies: readonly Anomaly[]
}

/** Replays `previous`'s applied actions without the withdrawn ones, into a fresh run. */
function replay(previous: Run): Run {
  const run = initRun(previous.instance, previous.actions)
  for (const index of previous.withdrawn) {
    run.withdrawn.add(index)
  }
  for (const nonce of previous.nonces) {
    run.nonces.add(nonce)
  }
  for (const index of previous.applied) {
    const action = previous.actions[index]
    if (action === undefined) {
      continue
    }
    if (previous.withdrawn.has(index)) {
      run.applied.push(index)
      continue
    }
    applyAction(run, action, index)
  }
  return run
}

/**
 * Takes back a consent that completed nothing (a 会签 co-signer's while others are still open) in
 * place: the replay would give the same run, since nothing after it could depend on it (a
 * reassignment after it could, so then the fold replays).
 * @returns whether it did
 */
function undoOpenConsent(run: Run, index: number): boolean {
  const action = run.actions[index]
  const place = run.places.get(index)
  if (action === undefined || place === undefined || !CONSENT_TYPES.has(action.type)) {
    return false
  }
  const stage = run.stages[place.stage]
  const step = stage?.steps[place.step]
  if (
    stage === undefined ||
    step === undefined ||
    run.current !== place.stage ||
    stage.step !== place.step
  ) {
    return false
  }
  const later = run.applied.slice(run.applied.indexOf(index) + 1)
  if (later.some((i) => run.actions[i]?.type === 'reassign')) {
    return false
  }
  step.consented.delete(effectiveActor(action))
  stage.consents = stage.consents.filter((i) => i !== index)
  run.places.delete(index)
  return true
}

/** Folds the whole list. */
export function fold(instance: ApprovalInstance, actions: readonly RecordedAction[]): Folded {
  let run = initRun(instance, actions)
  const effects: ActionEffect[] = []
  const anomalies: Anomaly[] = []
  actions.forEach((action, index) => {
    const verdict = evaluate(run, action, action.actorId, {})
    run.nonces.add(action.nonce)
    const expected = verdict.ok ? verdict.outcome : null
    if (expected !== action.outcome) {
      effects.push(action.outcome === 'superseded' ? 'superseded' : 'invalid')
      anomalies.push({
        actionId: action.id,
        code: verdict.ok ? 'outcome_mismatch' : verdict.code,
        reason: verdict.ok
          ? `recorded ${action.outcome}, rules say ${verdict.outcome}`
          : verdict.reason,
      })
      return
    }
    effects.push(action.outcome)
    if (action.outcome === 'superseded') {
      return
    }
    if (action.type === 'withdraw' && action.stageId !== START_STAGE_ID) {
      const target = withdrawTarget(run, effectiveActor(action), action.stageId)
      if (target.ok) {
        run.withdrawn.add(target.index)
        effects[target.index] = 'withdrawn'
        run = undoOpenConsent(run, target.index) ? run : replay(run)
      }
    }
    applyAction(run, action, index)
  })
  return { run, effects, anomalies }
}
