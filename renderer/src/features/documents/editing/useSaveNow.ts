/**
 * Ctrl+S in the editor, as in Word: delivers what is queued at once, then says where the work is
 * safe: 「已保存到服务器」 once the relay has confirmed every change (committed to its database,
 * DESIGN.md's 已保存), or, offline, that it is kept on this device and will sync.
 */
import { watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import type { CollabSessionHandle } from '../../../collab/useCollabSession'
import type { SyncState } from '../../../collab/syncStatus'

/** How long Ctrl+S waits for the relay's confirmation before saying it is still syncing. */
const CONFIRM_WAIT_MS = 8000

/** Where a Ctrl+S left the work. */
export type SaveOutcome =
  /** The relay confirmed every change. */
  | 'server'
  /** Not connected: kept in this device's copy, sent on reconnect. */
  | 'device'
  /** Connected, but the confirmation did not come in time (kept on the device meanwhile). */
  | 'slow'
  /** No document open. */
  | 'notOpen'

/**
 * @returns the outcome once `state` settles: 'saved' → server, 'offline' → device, and 'slow'
 *   after `timeoutMs` of 'syncing'
 */
export function settleSave(
  state: () => SyncState,
  timeoutMs: number = CONFIRM_WAIT_MS,
): Promise<Exclude<SaveOutcome, 'notOpen'>> {
  const decide = (value: SyncState): 'server' | 'device' | null =>
    value === 'saved' ? 'server' : value === 'offline' ? 'device' : null
  const now = decide(state())
  if (now !== null) {
    return Promise.resolve(now)
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop()
      resolve('slow')
    }, timeoutMs)
    const stop = watch(state, (value) => {
      const outcome = decide(value)
      if (outcome !== null) {
        clearTimeout(timer)
        stop()
        resolve(outcome)
      }
    })
  })
}

/** @returns `save`, which flushes the open document and shows where it is safe. */
export function useSaveNow(collab: CollabSessionHandle): { save: () => Promise<SaveOutcome> } {
  const { t } = useI18n()
  let shown: { close: () => void } | null = null

  async function save(): Promise<SaveOutcome> {
    const session = collab.session.value
    if (session === null) {
      ElMessage.info(t('docs.save.notOpen'))
      return 'notOpen'
    }
    session.saveNow()
    const outcome = await settleSave(() => collab.state.value)
    // One confirmation at a time: pressing Ctrl+S repeatedly does not stack messages.
    shown?.close()
    const options = { grouping: true, customClass: 'qilu-save-confirmation' }
    if (outcome === 'server') {
      shown = ElMessage.success({ ...options, message: t('docs.save.server') })
    } else if (outcome === 'device') {
      shown = ElMessage.warning({ ...options, message: t('docs.save.device'), duration: 5000 })
    } else {
      shown = ElMessage.info({ ...options, message: t('docs.save.slow'), duration: 5000 })
    }
    return outcome
  }

  return { save }
}
