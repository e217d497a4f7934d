/**
 * The steps of a bulk account import as a pure state machine: choose a file → upload and validate
 * (nothing is written) → review the invalid rows → commit with progress → take the activation codes
 * once. ImportView drives it with API calls; every transition is a plain function of the state.
 *
 * @example
 *   let state = initialImportState()
 *   state = importReducer(state, { type: 'upload', fileName: 'accounts.csv' })
 *   state = importReducer(state, { type: 'validated', report })
 */
import type { ImportProgress, ImportReport } from '../../../../shared/api'

export type { ImportProgress, ImportReport, ImportRowError } from '../../../../shared/api'

/** Where the wizard is. */
export type ImportState =
  /** Waiting for a file. */
  | { readonly step: 'choose'; readonly problem: string | null }
  /** The file is being uploaded and validated. */
  | { readonly step: 'uploading'; readonly fileName: string }
  /** The validation report is shown; nothing has been written yet. */
  | {
      readonly step: 'validated'
      readonly fileName: string
      readonly report: ImportReport
      /** Why the last commit attempt failed to start, if it did. */
      readonly problem: string | null
    }
  /** The valid rows are being created. */
  | {
      readonly step: 'committing'
      readonly fileName: string
      readonly report: ImportReport
      readonly done: number
      readonly total: number
    }
  /** Every valid row was created; the activation codes wait to be downloaded. */
  | {
      readonly step: 'done'
      readonly fileName: string
      readonly report: ImportReport
      readonly created: number
    }
  /** The codes were downloaded (they are gone from the server). */
  | {
      readonly step: 'finished'
      readonly fileName: string
      readonly report: ImportReport
      readonly created: number
    }
  /** The commit failed on the server part-way. */
  | {
      readonly step: 'failed'
      readonly fileName: string
      readonly report: ImportReport
      readonly done: number
    }

/** What can happen. */
export type ImportEvent =
  | { readonly type: 'upload'; readonly fileName: string }
  | { readonly type: 'rejected'; readonly problem: string }
  | { readonly type: 'validated'; readonly report: ImportReport }
  | { readonly type: 'commitStarted'; readonly progress: ImportProgress }
  | { readonly type: 'commitRefused'; readonly problem: string }
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'codesTaken' }
  /** Picks up an import committed earlier (the page was left while it ran or before the codes were taken). */
  | {
      readonly type: 'resume'
      readonly fileName: string
      readonly report: ImportReport
      readonly progress: ImportProgress
    }
  | { readonly type: 'reset' }

/** The state of a fresh wizard. */
export function initialImportState(): ImportState {
  return { step: 'choose', problem: null }
}

/** @returns the format of an import file from its name, or null when it is neither CSV nor XLSX. */
export function importFormat(fileName: string): 'csv' | 'xlsx' | null {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.csv')) {
    return 'csv'
  }
  if (lower.endsWith('.xlsx')) {
    return 'xlsx'
  }
  return null
}

function fromProgress(
  state: Extract<ImportState, { step: 'validated' | 'committing' }>,
  progress: ImportProgress,
): ImportState {
  const { fileName, report } = state
  switch (progress.status) {
    case 'done':
      return { step: 'done', fileName, report, created: progress.total }
    case 'failed':
      return { step: 'failed', fileName, report, done: progress.done }
    case 'running':
    case 'validated':
      return { step: 'committing', fileName, report, done: progress.done, total: progress.total }
  }
}

/** @returns the state after `event`; events that do not fit the current step leave it unchanged. */
export function importReducer(state: ImportState, event: ImportEvent): ImportState {
  if (event.type === 'reset') {
    return initialImportState()
  }
  switch (state.step) {
    case 'choose':
      if (event.type === 'upload') {
        return { step: 'uploading', fileName: event.fileName }
      }
      if (event.type === 'rejected') {
        return { step: 'choose', problem: event.problem }
      }
      if (event.type === 'resume') {
        const validated = {
          step: 'validated',
          fileName: event.fileName,
          report: event.report,
          problem: null,
        } as const
        return fromProgress(validated, event.progress)
      }
      return state
    case 'uploading':
      if (event.type === 'validated') {
        return { step: 'validated', fileName: state.fileName, report: event.report, problem: null }
      }
      if (event.type === 'rejected') {
        return { step: 'choose', problem: event.problem }
      }
      return state
    case 'validated':
      if (event.type === 'commitStarted') {
        return fromProgress(state, event.progress)
      }
      if (event.type === 'commitRefused') {
        return { ...state, problem: event.problem }
      }
      return state
    case 'committing':
      // Progress only moves forward, whatever order the polls answer in.
      if (event.type === 'progress' && event.progress.done >= state.done) {
        return fromProgress(state, event.progress)
      }
      return state
    case 'done':
      if (event.type === 'codesTaken') {
        return { ...state, step: 'finished' }
      }
      return state
    case 'finished':
    case 'failed':
      return state
  }
}

/** @returns whether the wizard may commit now: validated with at least one valid row. */
export function canCommit(state: ImportState): boolean {
  return state.step === 'validated' && state.report.valid > 0
}

/** @returns the progress bar's percentage (0–100) in the committing and later steps. */
export function progressPercent(state: ImportState): number {
  switch (state.step) {
    case 'committing':
      return state.total === 0 ? 100 : Math.min(100, Math.floor((state.done / state.total) * 100))
    case 'done':
    case 'finished':
      return 100
    case 'failed':
      return state.report.valid === 0 ? 0 : Math.floor((state.done / state.report.valid) * 100)
    default:
      return 0
  }
}

/** @returns whether the server must still be polled for progress. */
export function isPolling(state: ImportState): boolean {
  return state.step === 'committing'
}

/** @returns the 1-based step of the Element Plus steps bar: 选择文件, 校验, 导入, 激活码. */
export function stepIndex(state: ImportState): number {
  switch (state.step) {
    case 'choose':
    case 'uploading':
      return 0
    case 'validated':
      return 1
    case 'committing':
    case 'failed':
      return 2
    case 'done':
      return 3
    case 'finished':
      return 4
  }
}
