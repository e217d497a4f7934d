/**
 * Watches the live 待办 counts for the whole session (mounted once in the shell) and, when 待我审批
 * rises, tells the user through a desktop notification that opens the new approval (or the 待办
 * centre when several arrived at once). The choice to be notified is the user's (todoNotifier.ts).
 * Also routes the `qilu:navigate` event a clicked notification raises.
 */
import { onBeforeUnmount, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import { NAVIGATE_EVENT } from '../../../../shared/ipc/appRoute'
import { useSessionStore } from '../../stores/session'
import { fetchTodos } from './todosApi'
import { notifyPreference, showNotice } from '../../bridge/desktopNotices'
import { ZERO_COUNTS, pendingRise, useTodoCountsStore } from '../../stores/todoCounts'
import { approvalPath } from './todoRows'

/** Starts watching; stops with the calling component. */
export function useTodoNotifications(): void {
  const { t } = useI18n()
  const router = useRouter()
  const session = useSessionStore()
  const live = useTodoCountsStore()

  async function announce(rise: number): Promise<void> {
    const userId = session.user?.id
    if (userId === undefined || !notifyPreference(userId)) {
      return
    }
    let newest: { approvalId: string; title: string; initiatorName: string } | undefined
    try {
      newest = (await fetchTodos('pending')).items[0]
    } catch {
      // The counts alone still make a useful notice.
    }
    const one = rise === 1 && newest !== undefined
    const notice = {
      title: one ? t('todos.notify.newOne') : t('todos.notify.newMany', { count: rise }),
      body:
        newest === undefined
          ? t('todos.notify.openCentre')
          : t('todos.notify.body', { title: newest.title, initiator: newest.initiatorName }),
      link: one && newest !== undefined ? approvalPath(newest.approvalId) : '/approvals',
    }
    await showNotice(notice)
  }

  // A clicked notification asks the page to open its route; the router does it without a reload.
  const onNavigate = (event: Event): void => {
    if (event instanceof CustomEvent && typeof event.detail === 'string') {
      event.preventDefault()
      void router.push(event.detail)
    }
  }
  window.addEventListener(NAVIGATE_EVENT, onNavigate)
  onBeforeUnmount(() => window.removeEventListener(NAVIGATE_EVENT, onNavigate))

  // The relay publishes counts only once something happened to the user: a room that synced
  // without any means zero, so the first 待办 ever is a rise too (not a first reading).
  let syncedEmpty = false
  watch(
    () => [live.live, live.counts] as const,
    ([synced, counts]) => {
      if (synced && counts === null) {
        syncedEmpty = true
      }
    },
    { immediate: true },
  )

  watch(
    () => live.counts,
    (after, before) => {
      const rise = pendingRise(before ?? (syncedEmpty ? ZERO_COUNTS : null), after)
      syncedEmpty = false
      if (rise > 0) {
        void announce(rise)
      }
    },
  )
}
