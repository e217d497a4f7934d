/** Reading inbox items (from the `inbox:<userId>` room, the cache or the API) and showing their age. */
import type { InboxItem, InboxItemKind } from '../../../../shared/api'
import { InboxItemKind as INBOX_KINDS } from '../../../../shared/http/routes/inbox'
import { isRecord } from '../../stores/localCache'

/** @returns whether a value is a kind of item this build knows (rooms outlive builds). */
export function isInboxKind(value: unknown): value is InboxItemKind {
  return INBOX_KINDS.options.some((kind) => kind === value)
}

/** @returns whether `value` looks like an InboxItem (room contents are checked, not trusted). */
export function isInboxItem(value: unknown): value is InboxItem {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    isInboxKind(value.kind) &&
    typeof value.text === 'string' &&
    typeof value.excerpt === 'string' &&
    typeof value.link === 'string' &&
    typeof value.createdAt === 'string' &&
    (value.readAt === null || typeof value.readAt === 'string') &&
    typeof value.actorName === 'string'
  )
}

/** @returns the items newest first, with local "read" marks applied until the room confirms them. */
export function orderItems(
  items: readonly InboxItem[],
  readLocally: ReadonlyMap<string, string>,
): InboxItem[] {
  return items
    .map((item) => {
      const readAt = readLocally.get(item.id)
      return item.readAt === null && readAt !== undefined ? { ...item, readAt } : item
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/**
 * @returns the number of unread items: the relay's count (which covers items beyond the newest 200
 *   kept in the room) less those marked read here but not yet confirmed, never below what is listed.
 */
export function unreadCount(
  items: readonly InboxItem[],
  serverUnread: number | null,
  readLocally: ReadonlyMap<string, string>,
): number {
  const listed = items.filter((item) => item.readAt === null).length
  if (serverUnread === null) {
    return listed
  }
  const pending = items.filter((i) => i.readAt === null && readLocally.has(i.id)).length
  return Math.max(listed, serverUnread - pending)
}

/** Relative age of an item, as an i18n key and its count. */
export interface Age {
  readonly key: 'inbox.justNow' | 'inbox.minutesAgo' | 'inbox.hoursAgo' | null
  readonly count: number
}

/** @returns how long ago `iso` was for the last 24 hours (null key: show the date instead). */
export function ageOf(iso: string, now: number): Age {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60_000)
  if (Number.isNaN(minutes) || minutes >= 24 * 60) {
    return { key: null, count: 0 }
  }
  if (minutes < 1) {
    return { key: 'inbox.justNow', count: 0 }
  }
  return minutes < 60
    ? { key: 'inbox.minutesAgo', count: minutes }
    : { key: 'inbox.hoursAgo', count: Math.floor(minutes / 60) }
}
