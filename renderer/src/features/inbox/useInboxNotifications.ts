/**
 * Tells the user of new 通知 (added to a document, a comment or a suggestion in their document, the
 * decision on their suggestion, a mention, a meeting) through a desktop notification whose click
 * opens the document at the text concerned; several at once make one notification. Mounted once in
 * the shell. The user's choice (the 桌面通知 switch) is the same as for new 待办.
 */
import { watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useSessionStore } from '../../stores/session'
import { notifyPreference, showNotice } from '../../bridge/desktopNotices'
import { SeenItems } from './inboxNotices'
import { useInboxStore } from './inboxStore'

/** Starts watching; stops with the calling component. */
export function useInboxNotifications(): void {
  const { t } = useI18n()
  const session = useSessionStore()
  const inbox = useInboxStore()
  const seen = new SeenItems()

  watch(
    () => [inbox.source, inbox.items] as const,
    ([source, items]) => {
      // The baseline is what the relay (or the API) first holds, not this device's older copy.
      if (source === 'none' || source === 'cache') {
        if (source === 'none') {
          seen.reset()
        }
        return
      }
      const fresh = seen.fresh(items)
      const userId = session.user?.id
      const [newest] = fresh
      if (newest === undefined || userId === undefined || !notifyPreference(userId)) {
        return
      }
      void showNotice(
        fresh.length === 1
          ? { title: newest.text, body: newest.excerpt, link: newest.link }
          : {
              title: t('inbox.notifyMany', { count: fresh.length }),
              body: newest.text,
              link: newest.link,
            },
      )
    },
  )
}
