/**
 * Keeps an editor's unsaved changes from being lost by a click elsewhere: the draft is compared
 * with the last snapshot (taken when it was opened or saved), and leaving a changed draft (another
 * item, a new one, another page) asks first.
 *
 * @example
 *   const guard = useDraftGuard(draft)
 *   if (!(await guard.mayLeave())) return
 *   draft.value = next; guard.snapshot()
 */
import { computed } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { onBeforeRouteLeave } from 'vue-router'
import { ElMessageBox } from 'element-plus'

/** Guards one draft. */
export function useDraftGuard(draft: Ref<unknown>): {
  /** Whether the draft differs from the snapshot. */
  readonly dirty: Readonly<Ref<boolean>>
  snapshot(): void
  mayLeave(): Promise<boolean>
} {
  const { t } = useI18n()
  let saved = JSON.stringify(draft.value ?? null)
  const dirty = computed(() => JSON.stringify(draft.value ?? null) !== saved)

  async function mayLeave(): Promise<boolean> {
    if (!dirty.value) {
      return true
    }
    try {
      await ElMessageBox.confirm(t('apAdmin.unsaved'), t('apAdmin.discard'), {
        type: 'warning',
        confirmButtonText: t('apAdmin.discard'),
        cancelButtonText: t('common.cancel'),
      })
      return true
    } catch {
      return false
    }
  }

  onBeforeRouteLeave(() => mayLeave())

  return {
    dirty,
    snapshot() {
      saved = JSON.stringify(draft.value ?? null)
    },
    mayLeave,
  }
}
