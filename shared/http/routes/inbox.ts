/** `/api/v1/inbox`: the signed-in user's notifications (also the read-only room `inbox:<userId>`). */
import { z } from 'zod'
import { defineRoute, queryNumber } from '../contract'

/**
 * Kinds of inbox item:
 * - `mention`: someone @mentioned the user in a comment (批注) or a reply.
 * - `meeting`: a meeting invitation (会议通知), a deputy's invitation (代参会) or a reminder.
 * - `member`: the user was added to a document (they may open it now).
 * - `comment`: someone commented on the user's document, or replied to the user's thread.
 * - `suggestion`: someone suggested a change (修订) in the user's document.
 * - `decision`: the drafter accepted or rejected the user's suggestion.
 * - `approval`: an approval's reminder (到期提醒) or 催办, for whoever must act now (and their
 *   deputy, 代); the link opens the approval page.
 */
export const InboxItemKind = z.enum([
  'mention',
  'meeting',
  'member',
  'comment',
  'suggestion',
  'decision',
  'approval',
])
export type InboxItemKind = z.infer<typeof InboxItemKind>

/** One inbox item; also the value type of the `items` map of the `inbox:<userId>` room. */
export const InboxItem = z.object({
  id: z.string(),
  kind: InboxItemKind,
  /** e.g. 张三 在《关于……的通知》中提到了你 */
  text: z.string(),
  /** The comment text (shortened). */
  excerpt: z.string(),
  /** Client route, e.g. /documents/<id>?thread=<threadId> or /documents/<id>?suggestion=<id> */
  link: z.string(),
  documentId: z.string().nullable(),
  threadId: z.string().nullable(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
})
export type InboxItem = z.infer<typeof InboxItem>

/** A page of the inbox. */
export const InboxPage = z.object({
  items: z.array(InboxItem).readonly(),
  /** Unread items in total (not only on this page). */
  unread: z.number(),
})
export type InboxPage = z.infer<typeof InboxPage>

/** GET /inbox query. */
export const InboxQuery = z.object({
  unread: z.enum(['0', '1', 'true', 'false']).optional(),
  limit: queryNumber().int().min(1).max(200).optional(),
  /** Items created before this ISO time (paging). */
  before: z.string().datetime().optional(),
})

/** `GET /api/v1/inbox?unread=&limit=&before=` → 200 a page, newest first, with the unread count. */
export const listInbox = defineRoute({
  method: 'GET',
  path: '/api/v1/inbox',
  query: InboxQuery,
  status: 200,
  response: InboxPage,
})

/** `POST /api/v1/inbox/:id/read` → 200 the item, read; 404 when it is not the caller's. */
export const markInboxRead = defineRoute({
  method: 'POST',
  path: '/api/v1/inbox/:id/read',
  params: z.object({ id: z.string().min(1).max(64) }),
  status: 200,
  response: InboxItem,
})

/** `POST /api/v1/inbox/read-all` → 200 how many items were unread. */
export const markAllInboxRead = defineRoute({
  method: 'POST',
  path: '/api/v1/inbox/read-all',
  status: 200,
  response: z.object({ marked: z.number() }),
})
