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
  empty: 'No new notifications',
  emptyUnread: 'No unread notifications',
  emptyHint:
    "When someone adds you to a document, comments on or suggests in your document, decides your suggestion, {'@'}mentions you, invites you to a meeting, or an approval you must act on is due or urged, it shows here.",
  notifyMany: '{count} new notifications',
  kinds: {
    mention: 'Mention',
    meeting: 'Meeting',
    member: 'Document',
    comment: 'Comment',
    suggestion: 'Suggestion',
    decision: 'Suggestion',
    approval: 'Approval',
  },
  offline: 'Offline: showing the notifications kept on this device',
  loadFailed: 'Could not load notifications',
  markedAll: '{count} notifications marked read',
  justNow: 'just now',
  minutesAgo: '{count} min ago',
  hoursAgo: '{count} h ago',
}
