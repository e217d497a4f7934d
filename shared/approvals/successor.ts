/**
 * Successors of a deactivated assignee (改派). When an account is deactivated mid-flow, the server
 * asks this for every running approval the user holds an open place in, and records one `reassign`
 * system action per result (actor `system`); `reduce` hands the places over. The successor is the
 * one an admin named at deactivation (`successorOf`), else the stage's specs resolved again (the
 * new holder of the post or role), else there is none and the stage is named in a `no_assignee`.
 *
 * @example
 *   const result = reassignmentsFor(instance, reduce(instance, actions), 'u-old', dir)
 *   if (result.ok) for (const r of result.reassignments) record({ type: 'reassign', stageId: r.stageId,
 *     target: { fromUserId: r.fromUserId, userId: r.userId }, actorId: 'system', … })
 */
import type { ApprovalDirectory } from './directory'
import { resolveStage } from './resolveStage'
import type { ResolveError } from './resolveStage'
import type { ApprovalState, StageState } from './state'
import type { ApprovalInstance, ConcreteStage } from './types'

/** One hand-over to record as a `reassign` action. */
export interface Reassignment {
  readonly stageId: string
  readonly fromUserId: string
  readonly userId: string
}

function hasOpenPlace(stage: StageState, user: string): boolean {
  return (
    (stage.status === 'active' || stage.status === 'waiting') &&
    stage.steps.some((step) => step.users.includes(user) && !step.consented.includes(user))
  )
}

function candidates(
  instance: ApprovalInstance,
  def: ConcreteStage,
  dir: ApprovalDirectory,
): string[] {
  if (def.assigneeSpecs === undefined) {
    return []
  }
  const resolved = resolveStage(
    { id: def.id, name: def.name, kind: def.kind, mode: def.mode, assignees: def.assigneeSpecs },
    {
      approvalId: instance.id,
      initiatorId: instance.initiatorId,
      initiatorUnitId: instance.initiatorUnitId,
      createdAt: instance.createdAt,
      subject: instance.subject,
    },
    dir,
  )
  return resolved.ok ? [...resolved.stage.assignees] : []
}

/**
 * @returns the hand-overs for every open place of `userId`, or `no_assignee` naming the first
 *   stage without a successor
 */
export function reassignmentsFor(
  instance: ApprovalInstance,
  state: ApprovalState,
  userId: string,
  dir: ApprovalDirectory,
): { ok: true; reassignments: Reassignment[] } | { ok: false; error: ResolveError } {
  if (state.status !== 'running') {
    return { ok: true, reassignments: [] }
  }
  const reassignments: Reassignment[] = []
  for (const stage of state.stages) {
    const def = instance.stages.find((item) => item.id === stage.id)
    if (def === undefined || !hasOpenPlace(stage, userId)) {
      continue
    }
    const named = dir.successorOf?.(userId) ?? null
    const pool = [...(named !== null ? [named] : []), ...candidates(instance, def, dir)].filter(
      (user) => user !== userId && dir.isActive(user),
    )
    // Prefer someone not already in the stage, so the stage keeps its number of places.
    const successor = pool.find((user) => !stage.assignees.includes(user)) ?? pool[0]
    if (successor === undefined) {
      return {
        ok: false,
        error: {
          code: 'no_assignee',
          stageId: stage.id,
          stageName: stage.name,
          userId,
          message: `环节“${stage.name}”的审批人已停用且无接替人，请管理员指定 (no successor for ${userId})`,
        },
      }
    }
    reassignments.push({ stageId: stage.id, fromUserId: userId, userId: successor })
  }
  return { ok: true, reassignments }
}
