/**
 * Error text of the admin screens. Admin calls fail for specific reasons the relay names in its
 * message (a taken unit code, a non-empty unit, a unit outside the admin's scope), so the generic
 * translated text is followed by that detail.
 */
import { ApiError, errorMessage } from '../../api/errors'

/** A translation function (vue-i18n's `t`). */
export type Translate = (key: string, params?: Record<string, unknown>) => string

const DETAILED = new Set(['bad_request', 'conflict', 'forbidden', 'not_found'])

/** @returns the message to show for a failed admin call. */
export function describeAdminError(error: unknown, t: Translate): string {
  const message = errorMessage(error)
  const base = t(message.key, message.params)
  if (
    error instanceof ApiError &&
    DETAILED.has(error.code) &&
    error.message !== '' &&
    !error.message.startsWith('HTTP ')
  ) {
    return `${base}：${error.message}`
  }
  return base
}
