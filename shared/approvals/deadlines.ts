/**
 * Stage time limits (办理时限) and reminders. The server's job table schedules a reminder at
 * `remindAt` and an overdue notice at `dueAt`; when a job fires it recomputes the deadline and acts
 * only if the same activation is still current (same stage, same `activatedAt`), then records a
 * `remind` system action (which changes no state). Hours are wall-clock hours.
 *
 * @example
 *   const deadline = currentDeadline(instance, reduce(instance, actions))
 *   if (deadline) jobs.schedule('approval-remind', deadline.remindAt ?? deadline.dueAt)
 */
import type { ApprovalState } from './state'
import type { ApprovalInstance } from './types'

/** The deadline of the current stage's activation. */
export interface StageDeadline {
  readonly stageId: string
  /** ISO UTC ms. */
  readonly activatedAt: string
  readonly dueAt: string
  /** Absent when the stage has no reminder before its limit. */
  readonly remindAt?: string
}

/** Where a deadline stands at a moment. */
export type DeadlineStatus =
  /** Before the reminder (or the limit, without one). */
  | 'onTime'
  /** Between the reminder and the limit. */
  | 'dueSoon'
  /** Past the limit (超期). */
  | 'overdue'

const HOUR_MS = 3_600_000

/** @returns the current stage's deadline, or null (finished, at `start`, or no time limit). */
export function currentDeadline(
  instance: ApprovalInstance,
  state: ApprovalState,
): StageDeadline | null {
  const def = instance.stages.find((stage) => stage.id === state.currentStageId)
  const stage = state.stages.find((item) => item.id === state.currentStageId)
  if (
    state.status !== 'running' ||
    def?.timeLimitHours === undefined ||
    stage?.activatedAt === undefined
  ) {
    return null
  }
  const start = Date.parse(stage.activatedAt)
  const due = start + def.timeLimitHours * HOUR_MS
  const remind =
    def.remindBeforeHours === undefined ? undefined : due - def.remindBeforeHours * HOUR_MS
  return {
    stageId: stage.id,
    activatedAt: stage.activatedAt,
    dueAt: new Date(due).toISOString(),
    ...(remind !== undefined && remind > start ? { remindAt: new Date(remind).toISOString() } : {}),
  }
}

/** @returns whether the deadline is on time, due soon or overdue at `now` (ISO). */
export function deadlineStatus(deadline: StageDeadline, now: string): DeadlineStatus {
  const at = Date.parse(now)
  if (at >= Date.parse(deadline.dueAt)) {
    return 'overdue'
  }
  return deadline.remindAt !== undefined && at >= Date.parse(deadline.remindAt)
    ? 'dueSoon'
    : 'onTime'
}
