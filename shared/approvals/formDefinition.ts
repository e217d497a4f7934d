/**
 * Form definitions (请假, 出差, 用印申请, and the ones admins define the same way): field types and
 * the schema an admin's definition is checked with. Data is validated in formValidation.ts.
 *
 * @example
 *   FormDefinitionSchema.safeParse(adminForm).success
 */
import { z } from 'zod'

/** The kinds of form field. */
export type FieldType =
  /** Text; `multiline` for a text area. */
  | 'text'
  /** A finite number, with optional bounds and step (e.g. 0.5 days). */
  | 'number'
  /** A calendar date, `YYYY-MM-DD`. */
  | 'date'
  /** One of `options` (several with `multiple`). */
  | 'select'
  /** A user id (several with `multiple`). */
  | 'person'
  /** A unit id (several with `multiple`). */
  | 'unit'
  /** Uploaded files: `[{ fileId, name }]`. */
  | 'attachment'

/** Every field type. */
export const FIELD_TYPES = [
  'text',
  'number',
  'date',
  'select',
  'person',
  'unit',
  'attachment',
] as const satisfies readonly FieldType[]

const key = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'field key: a letter, then letters, digits or _')

/** Schema of one field definition (admins' forms are checked with it). */
export const FieldDefinitionSchema = z.strictObject({
  key,
  /** Label, Chinese first. */
  label: z.string().trim().min(1).max(64),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  /** text */
  maxLength: z.number().int().min(1).max(10_000).optional(),
  multiline: z.boolean().optional(),
  /** number */
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().positive().optional(),
  /** select */
  options: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  /** select, person, unit */
  multiple: z.boolean().optional(),
  /** attachment */
  maxFiles: z.number().int().min(1).max(50).optional(),
  /** date: the key of another date field this one may not precede (end ≥ start). */
  notBefore: key.optional(),
})

/** One field of a form. */
export type FieldDefinition = z.infer<typeof FieldDefinitionSchema>

/** Schema of a form definition. */
export const FormDefinitionSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().trim().min(1).max(64),
    /** The flow template an approval of this form starts. */
    flowId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    fields: z.array(FieldDefinitionSchema).min(1).max(100),
  })
  .refine((form) => new Set(form.fields.map((field) => field.key)).size === form.fields.length, {
    message: '字段键重复 (duplicate field key)',
  })
  .refine(
    (form) => form.fields.every((field) => field.type !== 'select' || field.options !== undefined),
    {
      message: '下拉字段须有选项 (a select field needs options)',
    },
  )

/** A form definition. */
export type FormDefinition = z.infer<typeof FormDefinitionSchema>
