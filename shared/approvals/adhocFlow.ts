/**
 * 自由流程: the ad-hoc `stages` of a start request as a flow template, so they resolve (and their
 * edge cases are settled) exactly like a built-in flow. Stage ids are `s1`, `s2`, … in order.
 *
 * @example
 *   resolveFlow(adhocFlow([{ name: '审核', mode: 'any', assignees: ['u1', 'u2'] }]), params, dir)
 */
import type { FlowTemplate } from './flowTemplate'
import type { StageKind, StageMode } from './types'

/** One ad-hoc stage as the start request gives it (AdhocStageSchema). */
export interface AdhocStage {
  readonly name: string
  readonly kind?: StageKind
  readonly mode: StageMode
  readonly assignees: readonly string[]
}

/** @returns a template (empty id: the instance gets no `flowId`) of ad-hoc stages. */
export function adhocFlow(stages: readonly AdhocStage[]): FlowTemplate {
  return {
    id: '',
    name: '自由流程',
    subjectType: 'document',
    stages: stages.map((stage, index) => ({
      id: `s${index + 1}`,
      name: stage.name,
      kind: stage.kind ?? 'review',
      mode: stage.mode,
      assignees: stage.assignees.map((user) => ({ user })),
    })),
  }
}
