/**
 * Applies one action that the rules (rules.ts) accepted to a run (internal to reduce/judge).
 * Withdrawals of a person's decision are not applied here: the fold replays the list without the
 * withdrawn decision (fold.ts), which is why the withdraw rule insists nobody depended on it.
 */
import { START_STAGE_ID } from './types'
import type { RecordedAction } from './actions'
import { actionTime, advance, buildSteps, effectiveActor, resetFrom } from './run'
import type { Run, StageRun, StepRun } from './run'

function finish(run: Run, status: 'rejected' | 'withdrawn', at: string): void {
  run.status = status
  run.current = null
  run.finishedAt = at
}

function soloSteps(users: readonly string[]): StepRun[] {
  return users.map((user) => ({ users: [user], need: 'all', consented: new Set() }))
}

/** Hands `from`'s open places in a stage to `to` (dropping them where `to` already has one). */
function handOver(stage: StageRun, from: string, to: string): void {
  stage.subs.set(from, to)
  const toIsOpen = stage.steps.some((step) => step.users.includes(to) && !step.consented.has(to))
  for (const step of stage.steps.slice(stage.step)) {
    const at = step.users.indexOf(from)
    if (at < 0 || step.consented.has(from)) {
      continue
    }
    if (toIsOpen) {
      step.users.splice(at, 1)
    } else {
      step.users[at] = to
    }
  }
}

function reopen(run: Run, stage: StageRun, index: number): void {
  const signers = stage.consents.map((i) => run.actions[i]).filter((a) => a !== undefined)
  const stale = stage.consents.slice()
  for (const i of stale) {
    run.stale.add(i)
  }
  resetFrom(run, stage.index)
  stage.steps = buildSteps(stage, signers.map(effectiveActor))
  stage.reopened = true
  run.reopen = { stage: stage.index, action: index, stale }
  run.current = stage.index
}

function applyAtStage(run: Run, action: RecordedAction, index: number, stage: StageRun): void {
  const at = actionTime(action)
  const actor = effectiveActor(action)
  const step = stage.steps[stage.step]
  switch (action.type) {
    case 'approve':
    case 'signoff':
      step?.consented.add(actor)
      stage.consents.push(index)
      return advance(run, at)
    case 'reject':
      return finish(run, 'rejected', at)
    case 'return': {
      const target = action.target.stageId
      if (target === START_STAGE_ID) {
        resetFrom(run, 0)
        run.current = START_STAGE_ID
        return
      }
      const to = run.stageIndex.get(target) ?? 0
      resetFrom(run, to)
      run.current = to
      return advance(run, at)
    }
    case 'transfer':
      if (step !== undefined) {
        step.users[step.users.indexOf(actor)] = action.target.userId
      }
      stage.subs.set(actor, action.target.userId)
      return
    case 'addSigner': {
      const { userIds, position } = action.target
      if (position === 'parallel') {
        step?.users.push(...userIds)
      } else {
        stage.steps.splice(stage.step + (position === 'after' ? 1 : 0), 0, ...soloSteps(userIds))
      }
      return
    }
    case 'urge':
      stage.lastUrgedAt = at
      return
    case 'number':
      stage.numbered = true
      run.documentNumber = action.target.documentNumber
      return advance(run, at)
    case 'reassign':
      handOver(stage, action.target.fromUserId, action.target.userId)
      return advance(run, at)
    case 'reopen':
      reopen(run, stage, index)
      return advance(run, at)
    default:
      // comment, remind: recorded, no state change; withdraw: handled by the fold.
      return
  }
}

/** Applies an accepted action at list position `index`. */
export function applyAction(run: Run, action: RecordedAction, index: number): void {
  run.applied.push(index)
  const stageIndex = run.stageIndex.get(action.stageId)
  const stage = stageIndex === undefined ? undefined : run.stages[stageIndex]
  if (stage !== undefined && run.current === stage.index) {
    run.places.set(index, { stage: stage.index, step: stage.step })
  }
  const at = actionTime(action)
  switch (action.type) {
    case 'submit':
    case 'resubmit':
      run.submitted = true
      run.places.set(index, { stage: -1, step: 0 })
      resetFrom(run, 0)
      run.current = 0
      return advance(run, at)
    case 'withdraw':
      if (action.stageId === START_STAGE_ID) {
        finish(run, 'withdrawn', at)
      }
      return
    default:
      if (stage !== undefined) {
        applyAtStage(run, action, index, stage)
      }
  }
}
