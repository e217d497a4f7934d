/**
 * Error text of the admin screens. Admin calls fail for specific reasons the relay names in its
 * message (a taken unit code, a non-empty unit, a unit outside the admin's scope). The relay
 * writes them `中文 (English)`: in Chinese the Chinese half alone is shown, plain, without the
 * English tail (no "(code taken)"); in English the generic text is followed by the English half.
 */
import { ApiError, bilingual, errorMessage } from '../../api/errors'
import { i18n } from '../../i18n'

/** A translation function (vue-i18n's `t`). */
export type Translate = (key: string, params?: Record<string, unknown>) => string

const DETAILED = new Set(['bad_request', 'conflict', 'forbidden', 'not_found'])

const HAN = /[\u4e00-\u9fff]/

/**
 * @param locale the UI's language (the app's current one by default)
 * @returns the message to show for a failed admin call
 */
export function describeAdminError(
  error: unknown,
  t: Translate,
  locale: string = i18n.global.locale.value,
): string {
  const message = errorMessage(error)
  const base = t(message.key, message.params)
  if (
    !(error instanceof ApiError) ||
    !DETAILED.has(error.code) ||
    error.message === '' ||
    error.message.startsWith('HTTP ')
  ) {
    return base
  }
  const { zh, en } = bilingual(plain(error.message))
  if (locale === 'en') {
    return HAN.test(en) ? base : `${base}: ${en}`
  }
  // A detail in Chinese says it all; one without Chinese (a stray English text) is not shown.
  return HAN.test(zh) ? zh : base
}

/** Drops a machine code prefix (`conflict: …`, `[code_taken] …`) a relay message may carry. */
function plain(message: string): string {
  return message.replace(/^\s*(?:\[[a-z_]+\]|[a-z_]+:)\s*/, '').trim()
}
