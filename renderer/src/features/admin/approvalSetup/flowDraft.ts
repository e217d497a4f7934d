/**
 * The model of the flow editor (审批流程): an editable draft of a flow template, with every text
 * box as the admin typed it, turned into a `FlowTemplateInput` for `saveFlow` only when it holds.
 * Problems name the place they belong to and an i18n key (Chinese first), never a raw zod text.
 *
 * @example
 *   const draft = draftFromFlow(LEAVE_FLOW)
 *   draft.stages = moveStage(draft.stages, 1, -1)
 *   const checked = flowFromDraft(draft) // { ok: true, flow } or { ok: false, problems }
 */
import type { z } from 'zod'
import type {
  AssigneeSpec,
  Condition,
  ConditionOp,
  FlowSubjectType,
  FlowTemplate,
  Post,
  StageKind,
  StageMode,
} from '../../../../../shared/approvals'
import { isPost, START_STAGE_ID } from '../../../../../shared/approvals'
import { FlowTemplateInput } from '../../../../../shared/http/routes/approvalSetup'

/** How an assignee row names people. */
export type AssigneeKind =
  /** 指定人员: one person (directory picker). */
  | 'user'
  /** 岗位: 科室负责人 / 分管领导 / 主要领导 along the initiator's unit chain. */
  | 'post'
  /** 角色: holders of an account role in the initiator's unit chain. */
  | 'role'
  /** 表单字段: the people named in a person field of the form. */
  | 'field'

/** Every assignee kind, in the editor's order. */
export const ASSIGNEE_KINDS: readonly AssigneeKind[] = ['user', 'post', 'role', 'field']

/** One assignee row. */
export interface AssigneeDraft {
  /** Stable key for v-for. */
  readonly key: number
  kind: AssigneeKind
  /** A user id, a post, a role or a field key. */
  value: string
  /** For a post: a unit field of the form whose units' holders are asked (joint 会签); '' for none. */
  unitsFrom: string
  /** The person's name when known (user rows). */
  label: string
}

/** One condition row. */
export interface ConditionDraft {
  readonly key: number
  field: string
  op: ConditionOp
  /** As typed: a number, text, true/false, or for `in` a list separated by commas or 、. */
  value: string
}

/** One stage as edited. */
export interface StageDraft {
  readonly key: number
  id: string
  name: string
  kind: StageKind
  mode: StageMode
  assignees: AssigneeDraft[]
  conditions: ConditionDraft[]
  timeLimitHours: number | null
  remindBeforeHours: number | null
}

/** A flow as edited. */
export interface FlowDraft {
  id: string
  name: string
  subjectType: FlowSubjectType
  stages: StageDraft[]
}

/** A problem of the draft: where, and the i18n key of what (under `apAdmin.flow.problems`). */
export interface DraftProblem {
  /** `id`, `name`, `stages`, `stages.<key>.name`, `stages.<key>.assignees.<key>`, … */
  readonly path: string
  readonly key: string
  readonly params?: Readonly<Record<string, string | number>>
}

/** The result of checking a draft. */
export type FlowCheck =
  | { readonly ok: true; readonly flow: z.infer<typeof FlowTemplateInput> }
  | { readonly ok: false; readonly problems: readonly DraftProblem[] }

const ID = /^[A-Za-z0-9_-]{1,64}$/
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
const MAX_HOURS = 24 * 365
let nextKey = 1

/** @returns a fresh key for a draft row. */
function key(): number {
  return nextKey++
}

/** @returns an assignee row (a 科室负责人 post by default). */
export function newAssignee(kind: AssigneeKind = 'post'): AssigneeDraft {
  return { key: key(), kind, value: kind === 'post' ? '科室负责人' : '', unitsFrom: '', label: '' }
}

/** @returns a condition row. */
export function newCondition(): ConditionDraft {
  return { key: key(), field: '', op: '>', value: '' }
}

/** @returns a new stage whose id is not yet taken (`stage1`, `stage2`, …). */
export function newStage(taken: readonly StageDraft[]): StageDraft {
  const ids = new Set(taken.map((stage) => stage.id))
  let n = taken.length + 1
  while (ids.has(`stage${n}`)) {
    n++
  }
  return {
    key: key(),
    id: `stage${n}`,
    name: '',
    kind: 'review',
    mode: 'sequential',
    assignees: [newAssignee()],
    conditions: [],
    timeLimitHours: null,
    remindBeforeHours: null,
  }
}

/** @returns the draft of a new flow. */
export function emptyFlowDraft(subjectType: FlowSubjectType = 'form'): FlowDraft {
  return { id: '', name: '', subjectType, stages: [newStage([])] }
}

function assigneeDraft(spec: AssigneeSpec, names: ReadonlyMap<string, string>): AssigneeDraft {
  if ('user' in spec) {
    return { ...newAssignee('user'), value: spec.user, label: names.get(spec.user) ?? '' }
  }
  if ('post' in spec) {
    return { ...newAssignee('post'), value: spec.post, unitsFrom: spec.unitsFrom ?? '' }
  }
  if ('role' in spec) {
    return { ...newAssignee('role'), value: spec.role }
  }
  return { ...newAssignee('field'), value: spec.field }
}

function conditionText(value: Condition['value']): string {
  if (value === undefined) {
    return ''
  }
  return Array.isArray(value) ? value.join('、') : String(value)
}

/**
 * @param names display names of users named in the flow, when known
 * @returns the editable draft of a template
 */
export function draftFromFlow(
  flow: FlowTemplate,
  names: ReadonlyMap<string, string> = new Map(),
): FlowDraft {
  return {
    id: flow.id,
    name: flow.name,
    subjectType: flow.subjectType,
    stages: flow.stages.map((stage) => ({
      key: key(),
      id: stage.id,
      name: stage.name,
      kind: stage.kind ?? 'review',
      mode: stage.mode,
      assignees: stage.assignees.map((spec) => assigneeDraft(spec, names)),
      conditions: (stage.when ?? []).map((condition) => ({
        key: key(),
        field: condition.field,
        op: condition.op,
        value: conditionText(condition.value),
      })),
      timeLimitHours: stage.timeLimitHours ?? null,
      remindBeforeHours: stage.remindBeforeHours ?? null,
    })),
  }
}

/** @returns the stages with the one at `index` moved by `delta` (unchanged at the ends). */
export function moveStage<T>(stages: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta
  const copy = [...stages]
  const moving = copy[index]
  const other = copy[target]
  if (moving === undefined || other === undefined) {
    return copy
  }
  copy[index] = other
  copy[target] = moving
  return copy
}

/** @returns a typed condition value: numbers as numbers, true/false as booleans, else text. */
export function parseConditionValue(op: ConditionOp, text: string): Condition['value'] {
  const trimmed = text.trim()
  if (op === 'nonEmpty') {
    return undefined
  }
  const scalar = (part: string): string | number =>
    part !== '' && Number.isFinite(Number(part)) ? Number(part) : part
  if (op === 'in') {
    return trimmed
      .split(/[,，、]/)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map(scalar)
  }
  if (trimmed === 'true' || trimmed === 'false') {
    return trimmed === 'true'
  }
  return scalar(trimmed)
}

function assigneeSpec(row: AssigneeDraft): AssigneeSpec | null {
  const value = row.value.trim()
  switch (row.kind) {
    case 'user':
      return ID.test(value) ? { user: value } : null
    case 'post': {
      if (!isPost(value)) {
        return null
      }
      const post: Post = value
      const unitsFrom = row.unitsFrom.trim()
      return unitsFrom === '' ? { post } : { post, unitsFrom }
    }
    case 'role':
      return value === '' ? null : { role: value }
    case 'field':
      return FIELD_KEY.test(value) ? { field: value } : null
  }
}

function checkHours(
  value: number | null,
  path: string,
  problems: DraftProblem[],
): number | undefined {
  if (value === null) {
    return undefined
  }
  if (!Number.isFinite(value) || value <= 0 || value > MAX_HOURS) {
    problems.push({ path, key: 'hoursRange', params: { max: MAX_HOURS } })
    return undefined
  }
  return value
}

/** Checks a draft and builds the template the relay takes. */
export function flowFromDraft(draft: FlowDraft): FlowCheck {
  const problems: DraftProblem[] = []
  const id = draft.id.trim()
  const name = draft.name.trim()
  if (!ID.test(id)) {
    problems.push({ path: 'id', key: 'idInvalid' })
  }
  if (name === '' || name.length > 64) {
    problems.push({ path: 'name', key: 'nameRequired' })
  }
  if (draft.stages.length === 0 || draft.stages.length > 30) {
    problems.push({ path: 'stages', key: 'stageCount', params: { max: 30 } })
  }
  const seen = new Set<string>()
  const stages = draft.stages.map((stage, index) => {
    const at = `stages.${stage.key}`
    const number = index + 1
    const stageId = stage.id.trim()
    if (!ID.test(stageId) || stageId === START_STAGE_ID) {
      problems.push({ path: `${at}.id`, key: 'stageIdInvalid', params: { number } })
    } else if (seen.has(stageId)) {
      problems.push({ path: `${at}.id`, key: 'stageIdDuplicate', params: { number, id: stageId } })
    }
    seen.add(stageId)
    const stageName = stage.name.trim()
    if (stageName === '' || stageName.length > 64) {
      problems.push({ path: `${at}.name`, key: 'stageNameRequired', params: { number } })
    }
    if (stage.kind === 'number' && draft.subjectType !== 'document') {
      problems.push({ path: `${at}.kind`, key: 'numberNeedsDocument', params: { number } })
    }
    if (stage.assignees.length === 0) {
      problems.push({ path: `${at}.assignees`, key: 'assigneesRequired', params: { number } })
    }
    const assignees = stage.assignees.flatMap((row) => {
      const spec = assigneeSpec(row)
      if (spec === null) {
        problems.push({
          path: `${at}.assignees.${row.key}`,
          key: `assignee_${row.kind}`,
          params: { number },
        })
        return []
      }
      return [spec]
    })
    const when = stage.conditions.flatMap((row): Condition[] => {
      const field = row.field.trim()
      const value = parseConditionValue(row.op, row.value)
      if (!FIELD_KEY.test(field)) {
        problems.push({
          path: `${at}.conditions.${row.key}`,
          key: 'conditionField',
          params: { number },
        })
        return []
      }
      if (row.op !== 'nonEmpty' && (value === '' || (Array.isArray(value) && value.length === 0))) {
        problems.push({
          path: `${at}.conditions.${row.key}`,
          key: 'conditionValue',
          params: { number },
        })
        return []
      }
      return [value === undefined ? { field, op: row.op } : { field, op: row.op, value }]
    })
    const timeLimitHours = checkHours(stage.timeLimitHours, `${at}.timeLimitHours`, problems)
    const remindBeforeHours = checkHours(
      stage.remindBeforeHours,
      `${at}.remindBeforeHours`,
      problems,
    )
    if (remindBeforeHours !== undefined) {
      if (timeLimitHours === undefined) {
        problems.push({
          path: `${at}.remindBeforeHours`,
          key: 'remindNeedsLimit',
          params: { number },
        })
      } else if (remindBeforeHours >= timeLimitHours) {
        problems.push({
          path: `${at}.remindBeforeHours`,
          key: 'remindBeforeLimit',
          params: { number },
        })
      }
    }
    return {
      id: stageId,
      name: stageName,
      kind: stage.kind,
      mode: stage.mode,
      assignees,
      ...(when.length === 0 ? {} : { when }),
      ...(timeLimitHours === undefined ? {} : { timeLimitHours }),
      ...(remindBeforeHours === undefined ? {} : { remindBeforeHours }),
    }
  })
  if (problems.length > 0) {
    return { ok: false, problems }
  }
  // The contract's own schema has the last word (limits this model does not repeat).
  const parsed = FlowTemplateInput.safeParse({ id, name, subjectType: draft.subjectType, stages })
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        key: 'schema',
        params: { detail: `${issue.path.join('.')}: ${issue.message}` },
      })),
    }
  }
  return { ok: true, flow: parsed.data }
}

/** @returns the problems of one place (and below it). */
export function problemsAt(problems: readonly DraftProblem[], path: string): DraftProblem[] {
  return problems.filter((problem) => problem.path === path || problem.path.startsWith(`${path}.`))
}
