/**
 * The rules an admin's flow template or form must keep beyond its schema. Pure: each check returns
 * the first problem as a message (Chinese first), or null.
 *
 * - A flow: stage ids unique and not `start` (the initiator's place); a `number` stage (发文字号)
 *   only in a document flow; a reminder only before a time limit; each condition's value fits its
 *   operator; assignee roles are account roles.
 * - A form flow and each form that starts it: every condition names a field of the form, with a
 *   value of the field's type (a number for a number field, a YYYY-MM-DD date for a date field, an
 *   option for a select field); a `field` assignee names a person field, `unitsFrom` a unit field.
 * - A form: `notBefore` names another date field; `min` ≤ `max`; options unique.
 *
 * @example
 *   const problem = flowProblem(flow) ?? formFlowProblem(form, flow)
 *   if (problem !== null) throw badRequest(problem)
 */
import type { Condition, FlowTemplate, FormDefinition } from '../../shared/approvals'
import { START_STAGE_ID } from '../../shared/approvals'
import { ACCOUNT_ROLES } from '../../shared/domain/roles'

const DATE = /^\d{4}-\d{2}-\d{2}$/
/** Values of one `in` condition (a select field has at most 100 options). */
const MAX_CONDITION_VALUES = 100
/** Characters of one compared text (an option has at most 64). */
const MAX_CONDITION_TEXT = 200

/** @returns the problem of a condition's value for its operator, or null. */
function conditionValueProblem(condition: Condition): string | null {
  const { op, value } = condition
  const where = `条件 ${condition.field} ${op}`
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value]
  if (
    values.length > MAX_CONDITION_VALUES ||
    values.some((item) => typeof item === 'string' && item.length > MAX_CONDITION_TEXT)
  ) {
    return `${where} 的取值过多或过长 (at most ${MAX_CONDITION_VALUES} values of ${MAX_CONDITION_TEXT} characters)`
  }
  switch (op) {
    case '>':
    case '>=':
    case '<':
    case '<=':
      return typeof value === 'number' || typeof value === 'string'
        ? null
        : `${where} 需要数字或日期 (needs a number or a date)`
    case '==':
    case '!=':
      return value === undefined || Array.isArray(value)
        ? `${where} 需要一个值 (needs one value)`
        : null
    case 'in':
      return Array.isArray(value) && value.length > 0
        ? null
        : `${where} 需要非空列表 (needs a non-empty list)`
    case 'nonEmpty':
      return value === undefined ? null : `${where} 不取值 (takes no value)`
  }
}

/** @returns the first problem of a flow template taken by itself, or null. */
export function flowProblem(flow: FlowTemplate): string | null {
  const seen = new Set<string>()
  for (const stage of flow.stages) {
    if (stage.id === START_STAGE_ID) {
      return `环节标识 ${START_STAGE_ID} 为发起人保留 (stage id "start" is reserved)`
    }
    if (seen.has(stage.id)) {
      return `环节标识 ${stage.id} 重复 (duplicate stage id)`
    }
    seen.add(stage.id)
    if (stage.kind === 'number' && flow.subjectType !== 'document') {
      return `编号环节 ${stage.name} 只用于公文流程 (a number stage needs a document)`
    }
    if (
      stage.remindBeforeHours !== undefined &&
      (stage.timeLimitHours === undefined || stage.remindBeforeHours >= stage.timeLimitHours)
    ) {
      return `环节 ${stage.name} 的提醒须早于办理时限 (a reminder comes before the time limit)`
    }
    for (const spec of stage.assignees) {
      if ('role' in spec && !ACCOUNT_ROLES.some((role) => role === spec.role)) {
        return `环节 ${stage.name} 的角色 ${spec.role} 不存在 (unknown role)`
      }
    }
    for (const condition of stage.when ?? []) {
      const problem = conditionValueProblem(condition)
      if (problem !== null) {
        return problem
      }
    }
  }
  return null
}

/** @returns the users a flow names directly (`{ user }` assignees). */
export function namedUsers(flow: FlowTemplate): string[] {
  return [
    ...new Set(
      flow.stages.flatMap((stage) =>
        stage.assignees.flatMap((spec) => ('user' in spec ? [spec.user] : [])),
      ),
    ),
  ]
}

/** @returns the problem of a condition on a field of the form, or null. */
function conditionOnFormProblem(condition: Condition, form: FormDefinition): string | null {
  const field = form.fields.find((candidate) => candidate.key === condition.field)
  const where = `表单 ${form.name} 的条件 ${condition.field}`
  if (field === undefined) {
    return `${where}：表单没有此字段 (the form has no such field)`
  }
  const values =
    condition.value === undefined
      ? []
      : Array.isArray(condition.value)
        ? condition.value
        : [condition.value]
  const ordered = ['>', '>=', '<', '<='].includes(condition.op)
  switch (field.type) {
    case 'number':
      return values.every((value) => typeof value === 'number')
        ? null
        : `${where}：数字字段须与数字比较 (compare a number field with numbers)`
    case 'date':
      return values.every((value) => typeof value === 'string' && DATE.test(value))
        ? null
        : `${where}：日期字段须与 YYYY-MM-DD 日期比较 (compare a date field with dates)`
    case 'select':
      if (ordered) {
        return `${where}：选项字段不能比较大小 (a select field is not ordered)`
      }
      return values.every(
        (value) => typeof value === 'string' && (field.options ?? []).includes(value),
      )
        ? null
        : `${where}：值须是字段的选项之一 (values must be options of the field)`
    default:
      return ordered ? `${where}：该字段不能比较大小 (this field is not ordered)` : null
  }
}

/**
 * @returns the first problem of `flow` as the flow of `form` (subject type, conditions and `field`
 *   or `unitsFrom` assignees against the form's fields), or null.
 */
export function formFlowProblem(form: FormDefinition, flow: FlowTemplate): string | null {
  if (flow.subjectType !== 'form') {
    return `表单 ${form.name} 须使用表单类流程，${flow.id} 是公文流程 (a form needs a form flow)`
  }
  const typeOf = (key: string) => form.fields.find((field) => field.key === key)?.type
  for (const stage of flow.stages) {
    for (const condition of stage.when ?? []) {
      const problem = conditionOnFormProblem(condition, form)
      if (problem !== null) {
        return problem
      }
    }
    for (const spec of stage.assignees) {
      if ('field' in spec && typeOf(spec.field) !== 'person') {
        return `环节 ${stage.name} 的办理人字段 ${spec.field} 须是表单 ${form.name} 的人员字段 (needs a person field)`
      }
      if ('post' in spec && spec.unitsFrom !== undefined && typeOf(spec.unitsFrom) !== 'unit') {
        return `环节 ${stage.name} 的单位字段 ${spec.unitsFrom} 须是表单 ${form.name} 的单位字段 (needs a unit field)`
      }
    }
  }
  return null
}

/** @returns the first problem of a form taken by itself, or null. */
export function formProblem(form: FormDefinition): string | null {
  for (const field of form.fields) {
    if (field.notBefore !== undefined) {
      const other = form.fields.find((candidate) => candidate.key === field.notBefore)
      if (field.type !== 'date' || other?.type !== 'date' || other.key === field.key) {
        return `字段 ${field.label} 的 notBefore 须指向另一个日期字段 (notBefore names another date field)`
      }
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      return `字段 ${field.label} 的最小值大于最大值 (min is above max)`
    }
    if (field.options !== undefined && new Set(field.options).size !== field.options.length) {
      return `字段 ${field.label} 的选项重复 (duplicate options)`
    }
  }
  return null
}
