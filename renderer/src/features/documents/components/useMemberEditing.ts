/**
 * What the members panels (by person and by unit) share around each change: a busy flag, the
 * failure shown above the list, the success message and the reload after a change, and the
 * confirmation before a removal.
 */
import { ref } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { errorMessage } from '../../../api/errors'

/** The shared state and actions of a members panel. */
export interface MemberEditing {
  /** True while a change runs (its buttons are disabled). */
  readonly busy: Ref<boolean>
  /** The last failure, in the user's language, or null. */
  readonly failure: Ref<string | null>
  /** Shows an error from the API (or the network) as the failure. */
  showError(error: unknown): void
  /** Runs one change; `work` returns the success message. Then the list is reloaded. */
  run(work: () => Promise<string>): Promise<void>
  /** @returns whether the user confirmed the removal described by `message`. */
  confirmRemoval(message: string): Promise<boolean>
}

/**
 * @param reload reloads the panel's list (called after each successful change)
 */
export function useMemberEditing(reload: () => Promise<void>): MemberEditing {
  const { t } = useI18n()
  const busy = ref(false)
  const failure = ref<string | null>(null)

  function showError(error: unknown): void {
    const message = errorMessage(error)
    failure.value = t(message.key, message.params)
  }

  async function run(work: () => Promise<string>): Promise<void> {
    busy.value = true
    try {
      ElMessage.success(await work())
      await reload()
    } catch (error) {
      showError(error)
    } finally {
      busy.value = false
    }
  }

  async function confirmRemoval(message: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('members.title'), {
        type: 'warning',
        confirmButtonText: t('common.remove'),
        cancelButtonText: t('common.cancel'),
      })
      return true
    } catch {
      return false
    }
  }

  return { busy, failure, showError, run, confirmRemoval }
}
