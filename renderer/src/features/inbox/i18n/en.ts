/** English texts of the inbox bell (mounted as `inbox`). */
import type { inboxZhCN } from './zh-CN'
import type { MessageTable } from '../../../i18n/table'

export const inboxEn: MessageTable<typeof inboxZhCN> = {
  bell: 'Notifications',
  bellUnread: 'Notifications ({count} unread)',
  title: 'Notifications',
  markAllRead: 'Mark all read',
  markRead: 'Mark read',
  unreadOnly: 'Unread only',
  empty: 'No notifications',
  emptyUnread: 'No unread notifications',
  emptyHint:
    "When a colleague {'@'}mentions you in a comment, invites you to a meeting, or an approval you must act on is due or urged, it shows here.",
  offline: 'Offline: showing the notifications kept on this device',
  loadFailed: 'Could not load notifications',
  markedAll: '{count} notifications marked read',
  justNow: 'just now',
  minutesAgo: '{count} min ago',
  hoursAgo: '{count} h ago',
}
