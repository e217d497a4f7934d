/**
 * Folds an approval's recorded actions into a run, re-judging each one against the state before
 * it (internal to reduce/judge). The recorded outcome is honoured: a `superseded` action is never
 * applied, and an `applied` one the rules refuse is left out and reported as an anomaly, so a
 * tampered list cannot change the state (and offline verification sees it).
 *
 * A person's withdraw takes back their latest decision: the fold replays the applied actions
 * without it, which gives the state as if it had never been taken (the rule that nobody acted after
 * it makes that replay sound). Cost: one replay per withdraw, linear in the list.
 */
import { applyAction } from './apply'
import { evaluate, withdrawTarget } from './rules'
import { effectiveActor, initRun } from './run'
import type { Run } from './run'
import type { Anomaly, ActionEffect } from './state'
import { START_STAGE_ID } from './types'
import type { ApprovalInstance, RecordedAction } from './types'

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
        reason: verdict.ok ? `recorded ${action.outcome}, rules say ${verdict.outcome}` : verdict.reason,
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
        run = replay(run)
      }
    }
    applyAction(run, action, index)
  })
  return { run, effects, anomalies }
}
