/**
 * Flow templates (审批流程模板): ordered stages with assignee specs, conditions on form fields and
 * time limits. A template is resolved once, when the approval starts, into a concrete instance
 * (resolve.ts) that `reduce` works on, so later edits of a template never change a running approval.
 *
 * @example
 *   const leave: FlowTemplate = {
 *     id: 'leave', name: '请假审批', subjectType: 'form',
 *     stages: [
 *       { id: 'head', name: '科室负责人审批', mode: 'sequential', assignees: [{ post: '科室负责人' }] },
 *       { id: 'lead', name: '分管领导审批', mode: 'sequential', assignees: [{ post: '分管领导' }],
 *         when: [{ field: 'days', op: '>', value: 3 }] },
 *     ],
 *   }
 */
import type { AssigneeSpec } from './assigneeSpec'
import type { StageKind, StageMode } from './types'

/** A comparison of a form field with a value. */
export type ConditionOp =
  /** Greater than (numbers, or ISO dates as strings). */
  | '>'
  /** Greater than or equal. */
  | '>='
  /** Less than. */
  | '<'
  /** Less than or equal. */
  | '<='
  /** Equal (strict, after nothing is coerced). */
  | '=='
  /** Not equal. */
  | '!='
  /** The field's value is one of `value` (an array). */
  | 'in'
  /** The field holds something: a non-empty string or array, or any number; `value` is ignored. */
  | 'nonEmpty'

/** Every condition operator. */
export const CONDITION_OPS = [
  '>',
  '>=',
  '<',
  '<=',
  '==',
  '!=',
  'in',
  'nonEmpty',
] as const satisfies readonly ConditionOp[]

/** A condition on one form field, e.g. `{ field: 'days', op: '>', value: 3 }`. */
export interface Condition {
  readonly field: string
  readonly op: ConditionOp
  readonly value?: string | number | boolean | readonly (string | number)[]
}

/** One stage of a template. */
export interface StageTemplate {
  /** Stable id, unique in the template; `start` is reserved for the initiator. */
  readonly id: string
  /** Shown in the timeline, Chinese first (核稿, 签发, …). */
  readonly name: string
  /** Defaults to `review`. */
  readonly kind?: StageKind
  readonly mode: StageMode
  readonly assignees: readonly AssigneeSpec[]
  /** The stage is part of the flow only when every condition holds on the form data. */
  readonly when?: readonly Condition[]
  /** Time limit in hours from the stage's activation (wall-clock hours). */
  readonly timeLimitHours?: number
  /** Hours before the limit at which assignees are reminded (default: none before the limit). */
  readonly remindBeforeHours?: number
}

/** What a template is started on. */
export type FlowSubjectType =
  /** A document (公文 or working document). */
  | 'document'
  /** A form (请假, 出差, …). */
  | 'form'

/** A flow template. */
export interface FlowTemplate {
  readonly id: string
  readonly name: string
  readonly subjectType: FlowSubjectType
  readonly stages: readonly StageTemplate[]
}
