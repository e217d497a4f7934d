/**
 * Resolves a flow template into a concrete instance: conditions decide which stages take part,
 * assignee specs become user ids through the directory, and the edge cases are settled once, here,
 * so `reduce` stays a function of the stored instance alone:
 *
 * - nobody found for a stage → error `no_assignee` naming the stage; a named user (or one picked in
 *   a person field) who is deactivated → `inactive_assignee`.
 * - the initiator never reviews their own request: in `review` and `countersign` stages they are
 *   dropped, and a post at or below their own rank moves up the ladder (a 科室负责人's leave goes to
 *   the 分管领导). If nobody is left (the 主要领导's own request) the stage is `skipped: 'initiator'`,
 *   which the timeline shows. Signoff and clerical stages keep the initiator (a principal may sign
 *   off their own draft, and it records 签发人 and date).
 * - the same person at two stages acts at each (核稿 and 签发 are different responsibilities),
 *   except two consecutive `review` stages: users certain to consent at the first are dropped from
 *   the second, which is `skipped: 'duplicate'` when it empties (连续审批去重).
 *
 * @example
 *   const result = resolveFlow(LEAVE_FLOW, { approvalId: 'a1', initiatorId: 'u1',
 *     initiatorUnitId: 'sec', createdAt: now, subject: { type: 'form', formId: 'leave', data } }, dir)
 *   if (!result.ok) throw new Error(result.error.message)
 */
import { conditionsHold } from './conditions'
import type { ApprovalDirectory } from './directory'
import type { FlowTemplate } from './flowTemplate'
import { resolveStage } from './resolveStage'
import type { ResolveError, ResolveResult, StartParams } from './resolveStage'
import { START_STAGE_ID } from './types'
import type { ConcreteStage } from './types'

function templateProblem(template: FlowTemplate): ResolveError | null {
  const seen = new Set<string>()
  for (const stage of template.stages) {
    const bad =
      stage.id === START_STAGE_ID ||
      stage.id.length === 0 ||
      seen.has(stage.id) ||
      stage.assignees.length === 0 ||
      (stage.timeLimitHours !== undefined && !(stage.timeLimitHours > 0))
    if (bad) {
      return {
        code: 'invalid_template',
        stageId: stage.id,
        stageName: stage.name,
        message: `流程模板环节“${stage.name}”无效（编号重复或保留、无审批人或时限无效） (invalid stage ${stage.id})`,
      }
    }
    seen.add(stage.id)
  }
  return null
}

/** Users certain to consent at a stage (any-of with several: nobody is certain). */
function certainConsenters(stage: ConcreteStage): readonly string[] {
  return stage.mode === 'any' && stage.assignees.length > 1 ? [] : stage.assignees
}

/** Drops from a review stage the users certain to consent at the review stage just before. */
function dropConsecutiveDuplicates(stages: ConcreteStage[]): ConcreteStage[] {
  const out: ConcreteStage[] = []
  let previous: ConcreteStage | undefined
  for (const stage of stages) {
    let next = stage
    if (previous?.kind === 'review' && stage.kind === 'review' && stage.skipped === undefined) {
      const before = certainConsenters(previous)
      const users = stage.assignees.filter((user) => !before.includes(user))
      if (users.length < stage.assignees.length) {
        const { escalatedFrom: _dropped, ...rest } = stage
        next =
          users.length > 0
            ? { ...stage, assignees: users }
            : { ...rest, assignees: [], skipped: 'duplicate' }
      }
    }
    out.push(next)
    if (next.skipped === undefined) {
      previous = next
    }
  }
  return out
}

/**
 * Resolves a template for an initiator into the concrete instance stored with the approval.
 * @returns the instance, or the first error (by stage order)
 */
export function resolveFlow(
  template: FlowTemplate,
  params: StartParams,
  dir: ApprovalDirectory,
): ResolveResult {
  const problem = templateProblem(template)
  if (problem !== null) {
    return { ok: false, error: problem }
  }
  const data = params.data ?? (params.subject.type === 'form' ? params.subject.data : {})
  const stages: ConcreteStage[] = []
  for (const stage of template.stages) {
    if (!conditionsHold(stage.when, data)) {
      continue
    }
    const resolved = resolveStage(stage, params, dir)
    if (!resolved.ok) {
      return resolved
    }
    stages.push(resolved.stage)
  }
  return {
    ok: true,
    instance: {
      id: params.approvalId,
      ...(template.id.length > 0 ? { flowId: template.id } : {}),
      initiatorId: params.initiatorId,
      initiatorUnitId: params.initiatorUnitId,
      createdAt: params.createdAt,
      subject: params.subject,
      stages: dropConsecutiveDuplicates(stages),
      cc: [...new Set(params.cc ?? [])],
    },
  }
}
