/**
 * The start dialog's logic: what a flow asks of the initiator (people for its `field` stages, such
 * as the 会签 heads of the 公文 chain; a choice for its conditions, such as who signs off), the
 * checks of a 自由流程, and the `startApproval` body.
 *
 * @example
 *   flowQuestions(GONGWEN_OUTGOING_FLOW)
 *   // { people: [{ field: 'countersigners', stageName: '会签' }], choices: [{ field: 'signoffBy', values: ['分管领导'] }] }
 */
import type { FlowTemplate, StageKind, StageMode } from '../../../../../shared/approvals'

/** What a flow asks the initiator when it starts. */
export interface FlowQuestions {
  /** People fields (user ids) that name a stage's assignees; empty leaves the stage out. */
  readonly people: readonly { readonly field: string; readonly stageName: string }[]
  /** Fields compared with values in stage conditions; unset takes the flow's default way. */
  readonly choices: readonly { readonly field: string; readonly values: readonly string[] }[]
}

/** @returns the questions of a flow (fields in the order the stages name them). */
export function flowQuestions(flow: FlowTemplate): FlowQuestions {
  const people = new Map<string, string>()
  const choices = new Map<string, Set<string>>()
  for (const stage of flow.stages) {
    for (const spec of stage.assignees) {
      if ('field' in spec && !people.has(spec.field)) {
        people.set(spec.field, stage.name)
      }
    }
    for (const condition of stage.when ?? []) {
      if ((condition.op === '==' || condition.op === '!=') && typeof condition.value === 'string') {
        const values = choices.get(condition.field) ?? new Set<string>()
        values.add(condition.value)
        choices.set(condition.field, values)
      }
    }
  }
  return {
    people: [...people].map(([field, stageName]) => ({ field, stageName })),
    choices: [...choices]
      .filter(([field]) => !people.has(field))
      .map(([field, values]) => ({ field, values: [...values] })),
  }
}

/** One stage of a 自由流程 as the dialog edits it. */
export interface AdhocStageInput {
  name: string
  mode: StageMode
  kind: StageKind
  assignees: string[]
}

/** A problem of a 自由流程: a message key and its stage number (from 1). */
export interface AdhocProblem {
  readonly key: string
  readonly n?: number
}

/** @returns the problems of ad-hoc stages (none: it may start). */
export function adhocProblems(stages: readonly AdhocStageInput[]): AdhocProblem[] {
  if (stages.length === 0) {
    return [{ key: 'approval.start.problems.noStages' }]
  }
  return stages.flatMap((stage, index) => [
    ...(stage.name.trim() === ''
      ? [{ key: 'approval.start.problems.stageName', n: index + 1 }]
      : []),
    ...(stage.assignees.length === 0
      ? [{ key: 'approval.start.problems.stagePeople', n: index + 1 }]
      : []),
  ])
}

/** What the dialog holds when the initiator sends. */
export interface StartChoice {
  readonly documentId: string
  /** A flow id, or null for a 自由流程. */
  readonly flowId: string | null
  readonly stages: readonly AdhocStageInput[]
  readonly answers: Readonly<Record<string, string | readonly string[]>>
  readonly cc: readonly string[]
}

/** The body of `startApproval` for a document. */
export interface DocumentStartBody {
  subject: { type: 'document'; documentId: string }
  flowId?: string
  stages?: { name: string; mode: StageMode; kind?: StageKind; assignees: string[] }[]
  cc?: string[]
  data?: Record<string, unknown>
}

/** @returns the start request (empty answers and cc omitted). */
export function startBody(choice: StartChoice): DocumentStartBody {
  const data = Object.fromEntries(
    Object.entries(choice.answers).filter(([, value]) =>
      Array.isArray(value) ? value.length > 0 : value !== '',
    ),
  )
  return {
    subject: { type: 'document', documentId: choice.documentId },
    ...(choice.flowId !== null
      ? { flowId: choice.flowId }
      : {
          stages: choice.stages.map((stage) => ({
            name: stage.name.trim(),
            mode: stage.mode,
            ...(stage.kind !== 'review' ? { kind: stage.kind } : {}),
            assignees: [...stage.assignees],
          })),
        }),
    ...(choice.cc.length > 0 ? { cc: [...choice.cc] } : {}),
    ...(choice.flowId !== null && Object.keys(data).length > 0 ? { data } : {}),
  }
}
