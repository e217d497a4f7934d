/**
 * The bulk import wizard's state and its exchanges with the relay: upload and validation, commit,
 * progress polling, the error report and the one-time activation codes, and resuming an import
 * left running. ImportView lays it out.
 */
import { computed, onBeforeUnmount, onMounted, shallowRef } from 'vue'
import type { ComputedRef, ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import type { UploadFile } from 'element-plus'
import { call, download, upload } from '../../api/call'
import type { FetchedFile } from '../../api/call'
import {
  commitImport,
  importCodesCsv,
  importErrorsCsv,
  importStatus,
  uploadImport,
} from '../../../../shared/http/routes/imports'
import { getBridge } from '../../bridge'
import { useSessionStore } from '../../stores/session'
import { describeAdminError } from './describeError'
import { IMPORT_MIME, downloadFile, saveFile } from './files'
import {
  canCommit,
  importFormat,
  importReducer,
  initialImportState,
  isPolling,
} from './importWizard'
import type { ImportEvent, ImportReport, ImportState } from './importWizard'
import { MAX_SHOWN_ERRORS, forgetImport, rememberImport, rememberedImport } from './importResume'
import { useCodesGuard } from './useCodesGuard'

/** Largest file the relay accepts (server/http/importRoutes.ts). */
const MAX_BYTES = 32 * 1024 * 1024
const POLL_MS = 300
const TEMPLATE =
  '用户名,姓名,单位代码,职务,角色,手机\r\nzhang.wei,张伟,370102,科员,拟稿人,13800000000\r\n'

/** What the wizard's screen binds to. */
export interface ImportWizard {
  readonly state: ShallowRef<ImportState>
  readonly busy: ShallowRef<boolean>
  /** Why the last action on the finished import failed (null when it did not). */
  readonly actionFailure: ShallowRef<string | null>
  /** The activation codes, kept in memory once taken: the server hands them out only once. */
  readonly codes: ShallowRef<FetchedFile | null>
  /** Whether leaving now would lose activation codes not yet saved. */
  readonly codesPending: ComputedRef<boolean>
  readonly report: ComputedRef<ImportReport | null>
  readonly invalidCount: ComputedRef<number>
  /** The first MAX_SHOWN_ERRORS invalid rows (a slice: the table may hold it as mutable). */
  readonly shownErrors: ComputedRef<ImportReport['errors'][number][]>
  readonly onFile: (file: UploadFile) => Promise<void>
  readonly commit: () => Promise<void>
  readonly downloadErrors: () => Promise<void>
  readonly downloadCodes: () => Promise<void>
  readonly downloadTemplate: () => Promise<void>
  readonly again: () => void
}

/** The wizard of the calling component (polling stops when it unmounts). */
export function useImportWizard(): ImportWizard {
  const { t } = useI18n()
  const session = useSessionStore()
  const state = shallowRef<ImportState>(initialImportState())
  const busy = shallowRef(false)
  const actionFailure = shallowRef<string | null>(null)
  const codes = shallowRef<FetchedFile | null>(null)
  /** Whether the codes were saved (a cancelled save dialog leaves them unsaved). */
  const codesSaved = shallowRef(false)
  /** Accounts were (or are being) created and their codes are not saved yet. */
  const codesPending = computed(
    () =>
      state.value.step === 'committing' ||
      state.value.step === 'done' ||
      (state.value.step === 'finished' && !codesSaved.value),
  )
  useCodesGuard(codesPending)
  let pollTimer: ReturnType<typeof setTimeout> | null = null
  let alive = true

  const report = computed<ImportReport | null>(() =>
    'report' in state.value ? state.value.report : null,
  )
  const invalidCount = computed(() =>
    report.value === null ? 0 : report.value.total - report.value.valid,
  )
  const shownErrors = computed(() => report.value?.errors.slice(0, MAX_SHOWN_ERRORS) ?? [])

  function dispatch(event: ImportEvent): void {
    state.value = importReducer(state.value, event)
    if (isPolling(state.value)) {
      schedulePoll()
    }
  }

  function schedulePoll(): void {
    if (pollTimer !== null || !alive) {
      return
    }
    pollTimer = setTimeout(() => {
      pollTimer = null
      void poll()
    }, POLL_MS)
  }

  async function poll(): Promise<void> {
    const current = report.value
    if (current === null || !isPolling(state.value)) {
      return
    }
    try {
      const progress = await call(importStatus, { params: { id: current.id } })
      dispatch({ type: 'progress', progress })
    } catch {
      // A lost poll (weak network) is retried; the import runs on the server regardless.
    }
    if (isPolling(state.value)) {
      schedulePoll()
    }
  }

  async function onFile(file: UploadFile): Promise<void> {
    const raw = file.raw
    if (raw === undefined) {
      return
    }
    const format = importFormat(file.name)
    if (format === null) {
      dispatch({ type: 'rejected', problem: t('imports.wrongType') })
      return
    }
    if (raw.size > MAX_BYTES) {
      dispatch({ type: 'rejected', problem: t('imports.tooLarge') })
      return
    }
    dispatch({ type: 'upload', fileName: file.name })
    try {
      const result = await upload(uploadImport, { query: { format } }, raw, IMPORT_MIME[format])
      dispatch({ type: 'validated', report: result })
    } catch (error) {
      dispatch({ type: 'rejected', problem: describeAdminError(error, t) })
    }
  }

  async function commit(): Promise<void> {
    const current = state.value
    if (current.step !== 'validated' || !canCommit(current) || busy.value) {
      return
    }
    busy.value = true
    try {
      const progress = await call(commitImport, { params: { id: current.report.id } })
      if (session.user !== null) {
        rememberImport(session.user.id, { fileName: current.fileName, report: current.report })
      }
      dispatch({ type: 'commitStarted', progress })
    } catch (error) {
      dispatch({ type: 'commitRefused', problem: describeAdminError(error, t) })
    } finally {
      busy.value = false
    }
  }

  async function downloadErrors(): Promise<void> {
    if (report.value === null) {
      return
    }
    try {
      await downloadFile(
        importErrorsCsv,
        { params: { id: report.value.id } },
        t('imports.errorsFile'),
      )
    } catch (error) {
      ElMessage.error(describeAdminError(error, t))
    }
  }

  async function downloadCodes(): Promise<void> {
    if (report.value === null || busy.value) {
      return
    }
    busy.value = true
    actionFailure.value = null
    try {
      if (codes.value === null) {
        codes.value = await download(importCodesCsv, { params: { id: report.value.id } })
        forgetImport()
        dispatch({ type: 'codesTaken' })
      }
      // A cancelled save dialog leaves the codes in memory for another try.
      codesSaved.value = (await saveFile(codes.value, t('imports.codesFile'))) || codesSaved.value
    } catch (error) {
      actionFailure.value = describeAdminError(error, t)
    } finally {
      busy.value = false
    }
  }

  async function downloadTemplate(): Promise<void> {
    // A BOM so that spreadsheet programs read the Chinese headers as UTF-8.
    const data = new TextEncoder().encode(`\ufeff${TEMPLATE}`)
    await getBridge().saveFile({
      suggestedName: t('imports.templateFile'),
      mimeType: 'text/csv',
      data,
    })
  }

  function again(): void {
    forgetImport()
    codes.value = null
    codesSaved.value = false
    actionFailure.value = null
    dispatch({ type: 'reset' })
  }

  onMounted(async () => {
    const userId = session.user?.id
    const left = userId === undefined ? null : rememberedImport(userId)
    if (left === null) {
      return
    }
    try {
      const progress = await call(importStatus, { params: { id: left.report.id } })
      dispatch({ type: 'resume', fileName: left.fileName, report: left.report, progress })
    } catch {
      forgetImport()
    }
  })

  onBeforeUnmount(() => {
    alive = false
    if (pollTimer !== null) {
      clearTimeout(pollTimer)
    }
  })

  return {
    state,
    busy,
    actionFailure,
    codes,
    codesPending,
    report,
    invalidCount,
    shownErrors,
    onFile,
    commit,
    downloadErrors,
    downloadCodes,
    downloadTemplate,
    again,
  }
}
