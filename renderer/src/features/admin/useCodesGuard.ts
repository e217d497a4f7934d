/**
 * The activation codes of a bulk import are handed out once: leaving the wizard before they are
 * saved would leave the new accounts without a way in. While they are not saved, leaving the page
 * in the app asks first, and closing or reloading the tab triggers the browser's own warning.
 */
import { onBeforeUnmount, onMounted } from 'vue'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { onBeforeRouteLeave } from 'vue-router'
import { ElMessageBox } from 'element-plus'

/** @param pending whether codes exist that were not saved yet */
export function useCodesGuard(pending: Readonly<Ref<boolean>>): void {
  const { t } = useI18n()

  function onBeforeUnload(event: BeforeUnloadEvent): void {
    if (pending.value) {
      // Both, for the browsers that still read returnValue.
      event.preventDefault()
      event.returnValue = ''
    }
  }

  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))

  onBeforeRouteLeave(async () => {
    if (!pending.value) {
      return true
    }
    try {
      await ElMessageBox.confirm(t('imports.leaveWarning'), t('imports.leaveTitle'), {
        type: 'warning',
        confirmButtonText: t('imports.leaveAnyway'),
        cancelButtonText: t('imports.stay'),
        distinguishCancelAndClose: true,
      })
      return true
    } catch {
      return false
    }
  })
}
