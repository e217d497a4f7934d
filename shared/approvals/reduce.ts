/**
 * `reduce(instance, actions)`: the derived state of an approval, the only home of the rules. The
 * server shows it after every action; clients compute it offline from the `approval:<id>` room.
 *
 * The rules, decided here once:
 * - Stages run in order; the initiator's `submit` (stage `start`) starts the first. In a stage,
 *   `sequential` places open one after another, `all` (会签) needs every consent, `any` (或签) is
 *   decided by the first consent and later ones for it are superseded.
 * - `reject` by any assignee (会签 included) ends the approval as rejected; a co-signer who wants
 *   changes uses `return`. Clerical stages (用印, 分发, 归档, 编号) cannot reject, only return.
 * - `return` re-opens an earlier stage with fresh places and resets every stage after it; to
 *   `start`, the initiator resubmits (`resubmit`), which restarts from the first stage. Transfers
 *   and reassignments survive a return; added signers do not. A 发文字号 once issued stays.
 * - `transfer` hands the actor's open place to another user. `addSigner` adds one step per user
 *   before or after the actor's, or joins them to the actor's step (`parallel`).
 * - `withdraw`: anyone takes back their latest decision until someone else decides after it (a
 *   co-signer in the same 会签 step excepted); the state is as if it had never been taken. The
 *   initiator withdraws the approval until then, and any time it is back with them.
 * - `urge`, `comment`, `remind` change nothing but are recorded; `number` completes a number stage;
 *   `reassign` hands a deactivated user's open places on; `reopen` (发文复核) re-opens a done signoff
 *   stage for its original signers, marks their signoffs ⚠ stale and resets the later stages.
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
