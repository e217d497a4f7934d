/**
 * The model of the form editor (审批表单): an editable draft of a form definition whose fields keep
 * every setting of every type while the admin switches types, turned into a `FormDefinition` (only
 * the settings of each field's type) for `saveForm` when it holds.
 *
 * @example
 *   const draft = draftFromForm(LEAVE_FORM)
 *   draft.fields.push(newField(draft.fields))
 *   const checked = formFromDraft(draft, new Set(['leave'])) // { ok: true, form } or problems
 */
import type { FieldDefinition, FieldType, FormDefinition } from '../../../../../shared/approvals'
import { FormDefinitionSchema } from '../../../../../shared/approvals'
import type { DraftProblem } from './flowDraft'

/** One field as edited. */
export interface FieldDraft {
  readonly key: number
  fieldKey: string
  label: string
  type: FieldType
  required: boolean
  /** text */
  multiline: boolean
  maxLength: number | null
  /** number */
  min: number | null
  max: number | null
  step: number | null
  /** select: one option a line */
  optionsText: string
  /** select, person, unit */
  multiple: boolean
  /** attachment */
  maxFiles: number | null
  /** date: the key of the date field this one may not precede; '' for none */
  notBefore: string
}

/** A form as edited. */
export interface FormDraft {
  id: string
  name: string
  flowId: string
  fields: FieldDraft[]
}

/** The result of checking a draft. */
export type FormCheck =
  | { readonly ok: true; readonly form: FormDefinition }
  | { readonly ok: false; readonly problems: readonly DraftProblem[] }

const ID = /^[A-Za-z0-9_-]{1,64}$/
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
let nextKey = 1

/** @returns a new text field whose key is not yet taken (`field1`, `field2`, …). */
export function newField(taken: readonly FieldDraft[]): FieldDraft {
  const keys = new Set(taken.map((field) => field.fieldKey))
  let n = taken.length + 1
  while (keys.has(`field${n}`)) {
    n++
  }
  return {
    key: nextKey++,
    fieldKey: `field${n}`,
    label: '',
    type: 'text',
    required: false,
    multiline: false,
    maxLength: null,
    min: null,
    max: null,
    step: null,
    optionsText: '',
    multiple: false,
    maxFiles: null,
    notBefore: '',
  }
}

/** @returns the draft of a new form. */
export function emptyFormDraft(): FormDraft {
  return { id: '', name: '', flowId: '', fields: [newField([])] }
}

/** @returns the editable draft of a form. */
export function draftFromForm(form: FormDefinition): FormDraft {
  return {
    id: form.id,
    name: form.name,
    flowId: form.flowId,
    fields: form.fields.map((field) => ({
      ...newField([]),
      fieldKey: field.key,
      label: field.label,
      type: field.type,
      required: field.required,
      multiline: field.multiline ?? false,
      maxLength: field.maxLength ?? null,
      min: field.min ?? null,
      max: field.max ?? null,
      step: field.step ?? null,
      optionsText: (field.options ?? []).join('\n'),
      multiple: field.multiple ?? false,
      maxFiles: field.maxFiles ?? null,
      notBefore: field.notBefore ?? '',
    })),
  }
}

/** @returns the options of a select field, one a line, trimmed, blanks dropped. */
export function optionsOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

function fieldDefinition(
  field: FieldDraft,
  number: number,
  dateKeys: ReadonlySet<string>,
  problems: DraftProblem[],
): FieldDefinition {
  const at = `fields.${field.key}`
  const base = {
    key: field.fieldKey.trim(),
    label: field.label.trim(),
    type: field.type,
    required: field.required,
  }
  switch (field.type) {
    case 'text':
      if (
        field.maxLength !== null &&
        !(Number.isInteger(field.maxLength) && field.maxLength >= 1)
      ) {
        problems.push({ path: `${at}.maxLength`, key: 'maxLength', params: { number } })
      }
      return {
        ...base,
        ...(field.multiline ? { multiline: true } : {}),
        ...(field.maxLength === null ? {} : { maxLength: field.maxLength }),
      }
    case 'number':
      if (field.min !== null && field.max !== null && field.min > field.max) {
        problems.push({ path: `${at}.max`, key: 'minAboveMax', params: { number } })
      }
      if (field.step !== null && !(field.step > 0)) {
        problems.push({ path: `${at}.step`, key: 'stepPositive', params: { number } })
      }
      return {
        ...base,
        ...(field.min === null ? {} : { min: field.min }),
        ...(field.max === null ? {} : { max: field.max }),
        ...(field.step === null ? {} : { step: field.step }),
      }
    case 'date': {
      const notBefore = field.notBefore.trim()
      if (notBefore !== '' && (!dateKeys.has(notBefore) || notBefore === base.key)) {
        problems.push({ path: `${at}.notBefore`, key: 'notBefore', params: { number } })
      }
      return { ...base, ...(notBefore === '' ? {} : { notBefore }) }
    }
    case 'select': {
      const options = optionsOf(field.optionsText)
      if (options.length === 0) {
        problems.push({ path: `${at}.options`, key: 'optionsRequired', params: { number } })
      } else if (new Set(options).size !== options.length) {
        problems.push({ path: `${at}.options`, key: 'optionsDuplicate', params: { number } })
      } else if (options.some((option) => option.length > 64) || options.length > 100) {
        problems.push({ path: `${at}.options`, key: 'optionsTooLong', params: { number } })
      }
      return { ...base, options, ...(field.multiple ? { multiple: true } : {}) }
    }
    case 'person':
    case 'unit':
      return { ...base, ...(field.multiple ? { multiple: true } : {}) }
    case 'attachment':
      if (field.maxFiles !== null && !(Number.isInteger(field.maxFiles) && field.maxFiles >= 1)) {
        problems.push({ path: `${at}.maxFiles`, key: 'maxFiles', params: { number } })
      }
      return { ...base, ...(field.maxFiles === null ? {} : { maxFiles: field.maxFiles }) }
  }
}

/**
 * Checks a draft and builds the form the relay takes.
 * @param formFlowIds the ids of the flows a form may start (subject type `form`)
 */
export function formFromDraft(draft: FormDraft, formFlowIds: ReadonlySet<string>): FormCheck {
  const problems: DraftProblem[] = []
  const id = draft.id.trim()
  const name = draft.name.trim()
  if (!ID.test(id)) {
    problems.push({ path: 'id', key: 'idInvalid' })
  }
  if (name === '' || name.length > 64) {
    problems.push({ path: 'name', key: 'nameRequired' })
  }
  if (!formFlowIds.has(draft.flowId)) {
    problems.push({ path: 'flowId', key: 'flowRequired' })
  }
  if (draft.fields.length === 0 || draft.fields.length > 100) {
    problems.push({ path: 'fields', key: 'fieldCount', params: { max: 100 } })
  }
  const dateKeys = new Set(
    draft.fields.filter((field) => field.type === 'date').map((field) => field.fieldKey.trim()),
  )
  const seen = new Set<string>()
  const fields = draft.fields.map((field, index) => {
    const number = index + 1
    const at = `fields.${field.key}`
    const fieldKey = field.fieldKey.trim()
    if (!FIELD_KEY.test(fieldKey)) {
      problems.push({ path: `${at}.fieldKey`, key: 'fieldKeyInvalid', params: { number } })
    } else if (seen.has(fieldKey)) {
      problems.push({
        path: `${at}.fieldKey`,
        key: 'fieldKeyDuplicate',
        params: { number, key: fieldKey },
      })
    }
    seen.add(fieldKey)
    const label = field.label.trim()
    if (label === '' || label.length > 64) {
      problems.push({ path: `${at}.label`, key: 'labelRequired', params: { number } })
    }
    return fieldDefinition(field, number, dateKeys, problems)
  })
  if (problems.length > 0) {
    return { ok: false, problems }
  }
  const parsed = FormDefinitionSchema.safeParse({ id, name, flowId: draft.flowId, fields })
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
  return { ok: true, form: parsed.data }
}
