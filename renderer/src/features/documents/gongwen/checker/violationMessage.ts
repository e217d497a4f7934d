/**
 * A checker violation's message in the UI's language: the shared rules give a key and its
 * parameters (`Violation.text`), translated here from `gongwen.violations`; a violation without one
 * (from an older rule set) shows its ready-made text.
 */
import type { Violation } from '../../../../../../shared/gongwen/checker'

/** vue-i18n's `t` as this module uses it. */
export type Translate = (key: string, params?: Record<string, unknown>) => string

/** @returns the message of a violation in `locale` */
export function violationMessage(violation: Violation, t: Translate, locale: string): string {
  if (violation.text === undefined) {
    return locale === 'en' ? violation.messageEn : violation.message
  }
  return t(`gongwen.violations.${violation.text.key}`, { ...violation.text.params })
}
