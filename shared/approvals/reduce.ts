/**
 * `reduce(instance, actions)`: the derived state of an approval, the only home of the rules. The
 * server shows it after every action; clients compute it offline from the `approval:<id>` room.
 *
 * @example
 *   const state = reduce(instance, actions)
 *   if (state.status === 'running') notify(state.pending)
 */
import { fold } from './fold'
import { actionTime, effectiveActor } from './run'
import type { Run, StageRun } from './run'
import type { ApprovalState, Consent, StageState } from './state'
import type { ApprovalInstance } from './types'
import type { RecordedAction } from './actions'

function consentOf(run: Run, index: number): Consent | null {
  const action = run.actions[index]
  if (action === undefined || (action.type !== 'approve' && action.type !== 'signoff')) {
    return null
  }
  const opinion = action.opinion?.trim() ?? ''
  return {
    actionId: action.id,
    userId: effectiveActor(action),
    actorId: action.actorId,
    onBehalf: action.onBehalfOf !== undefined,
    type: action.type,
    ...(action.opinion !== undefined ? { opinion: action.opinion } : {}),
    ...(action.contentDigest !== undefined ? { contentDigest: action.contentDigest } : {}),
    circled: opinion.length === 0,
    at: actionTime(action),
  }
}

function stageState(run: Run, stage: StageRun): StageState {
  const steps = stage.steps.map((step) => ({
    users: [...step.users],
    need: step.need,
    consented: step.users.filter((user) => step.consented.has(user)),
  }))
  return {
    id: stage.def.id,
    name: stage.def.name,
    kind: stage.def.kind,
    mode: stage.def.mode,
    status: stage.status,
    ...(stage.def.skipped !== undefined ? { skipped: stage.def.skipped } : {}),
    steps,
    assignees: [...new Set(steps.flatMap((step) => step.users))],
    consents: stage.consents.map((index) => consentOf(run, index)).filter((c) => c !== null),
    ...(stage.activatedAt !== undefined ? { activatedAt: stage.activatedAt } : {}),
    ...(stage.completedAt !== undefined ? { completedAt: stage.completedAt } : {}),
    reopened: stage.reopened,
    ...(stage.lastUrgedAt !== undefined ? { lastUrgedAt: stage.lastUrgedAt } : {}),
  }
}

/** @returns who may act now. */
function pendingOf(run: Run): string[] {
  if (run.status !== 'running') {
    return []
  }
  if (run.current === 'start') {
    return [run.instance.initiatorId]
  }
  const stage = run.current === null ? undefined : run.stages[run.current]
  const step = stage?.steps[stage.step]
  if (stage === undefined || step === undefined || stage.def.kind === 'number') {
    // A number stage waits for the register: nobody has a place to act in.
    return []
  }
  return step.users.filter((user) => !step.consented.has(user))
}

function idOf(run: Run, index: number): string {
  return run.actions[index]?.id ?? ''
}

/**
 * Derives an approval's state from its concrete instance and its recorded actions, in the
 * server's order. Pure and deterministic; actions that break the rules are reported in
 * `anomalies` and not applied.
 */
export function reduce(
  instance: ApprovalInstance,
  actions: readonly RecordedAction[],
): ApprovalState {
  const { run, effects, anomalies } = fold(instance, actions)
  const current =
    run.current === null || run.current === 'start' ? run.current : run.stages[run.current]?.def.id
  const reopen = run.reopen
  const reopenAction = reopen === null ? undefined : run.actions[reopen.action]
  return {
    approvalId: instance.id,
    status: run.status,
    currentStageId: current ?? null,
    pending: pendingOf(run),
    stages: run.stages.map((stage) => stageState(run, stage)),
    actions: actions.map((action, index) => ({
      id: action.id,
      effect: effects[index] ?? 'invalid',
      stale: run.stale.has(index),
    })),
    ...(run.documentNumber !== undefined ? { documentNumber: run.documentNumber } : {}),
    reopened:
      reopen === null
        ? null
        : {
            stageId: run.stages[reopen.stage]?.def.id ?? '',
            actionId: idOf(run, reopen.action),
            ...(reopenAction?.contentDigest !== undefined
              ? { contentDigest: reopenAction.contentDigest }
              : {}),
            staleActionIds: reopen.stale.map((index) => idOf(run, index)),
          },
    staleActionIds: [...run.stale].sort((a, b) => a - b).map((index) => idOf(run, index)),
    anomalies,
    ...(run.finishedAt !== undefined ? { finishedAt: run.finishedAt } : {}),
  }
}
