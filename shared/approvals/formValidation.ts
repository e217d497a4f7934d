/**
 * Validates submitted form data against a form definition: every issue per field (labels in the
 * messages, Chinese first), or the cleaned data (text trimmed, empty optional fields dropped) that
 * conditions and `field` assignee specs then read.
 *
 * @example
 *   const result = validateFormData(LEAVE_FORM, { leaveType: '事假', startDate: '2026-12-08', days: 2, reason: '家中有事' })
 *   if (!result.ok) show(result.issues)
 */
import type { FieldDefinition, FormDefinition } from './formDefinition'

/** Why a field's value was refused. */
export type FieldIssueCode =
  /** A required field is missing or empty. */
  | 'required'
  /** The value has the wrong type. */
  | 'type'
  /** Text longer than `maxLength`, or more files than `maxFiles`. */
  | 'too_long'
  /** Below `min`. */
  | 'too_small'
  /** Above `max`. */
  | 'too_large'
  /** Not a multiple of `step`. */
  | 'step'
  /** Not a real calendar date, or before its `notBefore` field. */
  | 'invalid_date'
  /** Not one of the options. */
  | 'not_an_option'
  /** A key the form does not define. */
  | 'unknown_field'

/** One refusal, with the field's label in the message. */
export interface FieldIssue {
  readonly field: string
  readonly code: FieldIssueCode
  readonly message: string
}

/** The outcome of {@link validateFormData}. */
export type FormValidation =
  | { readonly ok: true; readonly data: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] }

const MESSAGES: Readonly<Record<FieldIssueCode, string>> = {
  required: '为必填项',
  type: '格式不正确',
  too_long: '超出长度或数量限制',
  too_small: '小于允许的最小值',
  too_large: '大于允许的最大值',
  step: '不符合填写精度',
  invalid_date: '日期无效',
  not_an_option: '不是可选项',
  unknown_field: '不是本表单的字段',
}

/** @returns whether a string is a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match === null) {
    return false
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

const isIdList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0)

const isFile = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof Reflect.get(value, 'fileId') === 'string' &&
  typeof Reflect.get(value, 'name') === 'string'

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

/** @returns the cleaned value, or the issue code. */
function checkValue(
  field: FieldDefinition,
  raw: unknown,
): { value: unknown } | { code: FieldIssueCode } {
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string') {
        return { code: 'type' }
      }
      const value = raw.trim()
      return value.length > (field.maxLength ?? 500) ? { code: 'too_long' } : { value }
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        return { code: 'type' }
      }
      if (field.min !== undefined && raw < field.min) {
        return { code: 'too_small' }
      }
      if (field.max !== undefined && raw > field.max) {
        return { code: 'too_large' }
      }
      const steps = field.step === undefined ? 0 : raw / field.step
      return Math.abs(steps - Math.round(steps)) > 1e-9 ? { code: 'step' } : { value: raw }
    }
    case 'date':
      if (typeof raw !== 'string') {
        return { code: 'type' }
      }
      return isCalendarDate(raw) ? { value: raw } : { code: 'invalid_date' }
    case 'select': {
      const values = field.multiple ? raw : [raw]
      if (!isIdList(values)) {
        return { code: 'type' }
      }
      return values.every((value) => field.options?.includes(value))
        ? { value: raw }
        : { code: 'not_an_option' }
    }
    case 'person':
    case 'unit':
      return isIdList(field.multiple ? raw : [raw]) ? { value: raw } : { code: 'type' }
    case 'attachment':
      if (!Array.isArray(raw) || !raw.every(isFile)) {
        return { code: 'type' }
      }
      return raw.length > (field.maxFiles ?? 20) ? { code: 'too_long' } : { value: raw }
  }
}

/**
 * Validates submitted form data against a definition.
 * @returns the cleaned data, or every issue found (messages name the field's label)
 */
export function validateFormData(form: FormDefinition, data: unknown): FormValidation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      issues: [{ field: '', code: 'type', message: '表单数据格式不正确 (data must be an object)' }],
    }
  }
  const issues: FieldIssue[] = []
  const cleaned: Record<string, unknown> = {}
  const issue = (field: string, label: string, code: FieldIssueCode) =>
    issues.push({ field, code, message: `“${label}”${MESSAGES[code]} (${field}: ${code})` })
  const known = new Set(form.fields.map((field) => field.key))
  for (const name of Object.keys(data)) {
    if (!known.has(name)) {
      issue(name, name, 'unknown_field')
    }
  }
  for (const field of form.fields) {
    const raw: unknown = Reflect.get(data, field.key)
    const value = typeof raw === 'string' && raw.trim() === '' ? '' : raw
    if (isEmpty(value)) {
      if (field.required) {
        issue(field.key, field.label, 'required')
      }
      continue
    }
    const result = checkValue(field, value)
    if ('code' in result) {
      issue(field.key, field.label, result.code)
      continue
    }
    cleaned[field.key] = result.value
  }
  for (const field of form.fields) {
    const value = cleaned[field.key]
    const earliest = field.notBefore === undefined ? undefined : cleaned[field.notBefore]
    if (typeof value === 'string' && typeof earliest === 'string' && value < earliest) {
      issue(field.key, field.label, 'invalid_date')
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: cleaned }
}
