/** Client-side checks of the unit forms, mirroring CreateUnitRequest in shared/http/routes/org.ts. */
import { CreateUnitRequest } from '../../../../shared/http/routes/org'

/** The fields of a unit form. */
export interface UnitFormValues {
  readonly name: string
  readonly code: string
  readonly sortOrder: number
}

/** @returns the i18n key of the first problem of the form, or null when it may be sent. */
export function unitFormProblem(values: UnitFormValues): string | null {
  if (values.name.trim() === '') {
    return 'org.nameRequired'
  }
  const parsed = CreateUnitRequest.shape.code.safeParse(values.code)
  if (!parsed.success) {
    return 'org.codeInvalid'
  }
  if (!Number.isInteger(values.sortOrder) || values.sortOrder < 0) {
    return 'org.sortOrderInvalid'
  }
  return null
}
