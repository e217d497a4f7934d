/** The inbox over HTTP: the fallback when the `inbox:<userId>` room cannot be read, and the writes. */
import type { InboxItem, InboxPage } from '../../../../shared/api'
import { call } from '../../api/call'
import { listInbox, markAllInboxRead, markInboxRead } from '../../../../shared/http/routes/inbox'

/** @returns the newest items and the unread count. @throws ApiError */
export function fetchInbox(limit = 50): Promise<InboxPage> {
  return call(listInbox, { query: { limit } })
}

/** Marks one item read. @throws ApiError (404 when it is not the caller's) */
export function markRead(id: string): Promise<InboxItem> {
  return call(markInboxRead, { params: { id } })
}

/** Marks every item read. @returns how many were unread. @throws ApiError */
export async function markAllRead(): Promise<number> {
  return (await call(markAllInboxRead)).marked
}
