/**
 * Remembers a committed import for this browser tab, so an admin who leaves 批量导入 while it runs
 * (or before downloading the activation codes, which the server hands out once) can come back to it.
 */
import { isRecord } from '../../stores/localCache'
import type { ImportReport, ImportRowError } from './importWizard'

const KEY = 'qilu:admin-import'
/** Invalid rows listed on screen; the downloadable error report holds all of them. */
export const MAX_SHOWN_ERRORS = 500

/** What is remembered. */
export interface RememberedImport {
  readonly fileName: string
  readonly report: ImportReport
}

function isRowError(value: unknown): value is ImportRowError {
  return (
    isRecord(value) &&
    typeof value.row === 'number' &&
    typeof value.username === 'string' &&
    typeof value.reason === 'string'
  )
}

/** @returns whether `value` looks like a validation report of POST /admin/imports. */
export function isImportReport(value: unknown): value is ImportReport {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.total === 'number' &&
    typeof value.valid === 'number' &&
    Array.isArray(value.errors) &&
    value.errors.every(isRowError)
  )
}

/** Remembers an import of this user. */
export function rememberImport(userId: string, value: RememberedImport): void {
  try {
    // The screen lists at most MAX_SHOWN_ERRORS rows; the full list is in the error report.
    const report = { ...value.report, errors: value.report.errors.slice(0, MAX_SHOWN_ERRORS) }
    sessionStorage.setItem(KEY, JSON.stringify({ userId, fileName: value.fileName, report }))
  } catch {
    // Storage full or disabled: resuming is a convenience.
  }
}

/** @returns the import this user left, if any. */
export function rememberedImport(userId: string): RememberedImport | null {
  const raw = sessionStorage.getItem(KEY)
  if (raw === null) {
    return null
  }
  try {
    const value: unknown = JSON.parse(raw)
    if (
      isRecord(value) &&
      value.userId === userId &&
      typeof value.fileName === 'string' &&
      isImportReport(value.report)
    ) {
      return { fileName: value.fileName, report: value.report }
    }
  } catch {
    // A damaged entry is dropped below.
  }
  sessionStorage.removeItem(KEY)
  return null
}

/** Forgets the remembered import. */
export function forgetImport(): void {
  sessionStorage.removeItem(KEY)
}
