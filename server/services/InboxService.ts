/**
 * The inbox (通知/待办): items live in a table written only by the server, and each user's
 * `inbox:<userId>` room is their read-only projection (map `items`: id → InboxItem, map `summary`:
 * `unread` → count), kept current through the relay like the directory rooms.
 */
import type { Storage } from '../storage/Storage'
import type { UserRow } from '../storage/users/UserStore'
import type { InboxRow, InboxStore } from '../storage/InboxStore'
import type { RoomPort } from '../relay/ports'
import type { Logger } from '../logger'
import type { InboxItem, InboxItemKind, InboxPage } from '../../shared/api'
import { InboxItemKind as InboxItemKindSchema } from '../../shared/http/routes/inbox'
import { notFound } from '../domain/errors'
import { newId } from '../auth/secrets'

/** Items projected into the room: the newest this many. */
const ROOM_ITEMS = 200
const EXCERPT_LENGTH = 120

/** A mention found in a document's comments. */
export interface MentionEvent {
  readonly documentId: string
  readonly threadId: string
  /** The reply the mention is in, or null for the thread's first comment. */
  readonly replyId: string | null
  readonly mentioned: readonly string[]
  readonly actor: { readonly id: string; readonly name: string }
  readonly text: string
  /** The title in the document's meta, when set. */
  readonly title: string | null
}

function kindOf(value: string): InboxItemKind {
  return InboxItemKindSchema.options.find((kind) => kind === value) ?? 'mention'
}

function toItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    kind: kindOf(row.kind),
    text: row.text,
    excerpt: row.excerpt,
    link: row.link,
    documentId: row.document_id,
    threadId: row.thread_id,
    actorId: row.actor_id,
    actorName: row.actor_name,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    readAt: row.read_at === null ? null : new Date(Number(row.read_at)).toISOString(),
  }
}

/** A notice a feature sends to users' inboxes (InboxService.notify). */
export interface Notice {
  readonly kind: InboxItemKind
  readonly text: string
  readonly excerpt: string
  /** Client route, e.g. /meetings/<id> */
  readonly link: string
  readonly actor: { readonly id: string | null; readonly name: string }
  /** One item per user and key, ever. */
  readonly dedupeKey: string
}

/** @returns the inbox row of a notice for one user. */
export function noticeRow(notice: Notice, userId: string, now: number): InboxRow {
  return {
    id: newId(),
    user_id: userId,
    kind: notice.kind,
    text: notice.text,
    excerpt: notice.excerpt,
    link: notice.link,
    document_id: null,
    thread_id: null,
    actor_id: notice.actor.id,
    actor_name: notice.actor.name,
    dedupe_key: notice.dedupeKey,
    created_at: now,
    read_at: null,
  }
}

/** Inbox items and their rooms. */
export class InboxService {
  /** Projections per user run one after another. */
  private readonly projecting = new Map<string, Promise<void>>()

  constructor(
    private readonly storage: Storage,
    private readonly store: InboxStore,
    /** Where the inbox rooms are published. */
    private readonly rooms: RoomPort,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Creates one inbox item per mentioned user who may read the document (never for the author,
   * never twice for the same comment). @returns the ids of the users notified
   */
  async mention(event: MentionEvent): Promise<string[]> {
    const document = await this.storage.documents.byId(event.documentId)
    if (document === null) {
      return []
    }
    const title = event.title ?? document.title
    const excerpt =
      event.text.length > EXCERPT_LENGTH ? `${event.text.slice(0, EXCERPT_LENGTH)}…` : event.text
    const notified: string[] = []
    for (const userId of new Set(event.mentioned)) {
      if (userId === event.actor.id) {
        continue
      }
      const [user, role] = await Promise.all([
        this.storage.users.byId(userId),
        this.storage.documents.memberRole(event.documentId, userId),
      ])
      if (user === null || user.active !== 1 || role === null) {
        continue
      }
      const created = await this.store.insert({
        id: newId(),
        user_id: userId,
        kind: 'mention',
        text: `${event.actor.name} 在《${title}》中提到了你`,
        excerpt,
        link: `/documents/${event.documentId}?thread=${encodeURIComponent(event.threadId)}`,
        document_id: event.documentId,
        thread_id: event.threadId,
        actor_id: event.actor.id,
        actor_name: event.actor.name,
        dedupe_key: `mention:${event.documentId}:${event.threadId}:${event.replyId ?? 'thread'}`,
        created_at: this.now(),
        read_at: null,
      })
      if (created) {
        notified.push(userId)
        this.project(userId)
      }
    }
    return notified
  }

  /**
   * Notifies users of something a feature decided (a meeting invitation, a reminder): one item per
   * user, never twice for the same `dedupeKey`, each user's room re-projected in the background.
   * @returns the ids of the users notified now
   */
  async notify(notice: Notice, userIds: readonly string[]): Promise<string[]> {
    const notified: string[] = []
    for (const userId of new Set(userIds)) {
      const created = await this.store.insert(noticeRow(notice, userId, this.now()))
      if (created) {
        notified.push(userId)
        this.project(userId)
      }
    }
    return notified
  }

  /** @returns a page of the user's inbox, newest first, with the unread count. */
  async list(
    user: UserRow,
    listing: { unreadOnly: boolean; limit: number; before: number | null },
  ): Promise<InboxPage> {
    const [rows, unread] = await Promise.all([
      this.store.list(user.id, listing),
      this.store.unreadCount(user.id),
    ])
    return { items: rows.map(toItem), unread }
  }

  /** Marks an item read. @throws DomainError not_found when it is not the user's */
  async markRead(user: UserRow, id: string): Promise<InboxItem> {
    await this.store.markRead(user.id, id, this.now())
    const row = await this.store.byId(user.id, id)
    if (row === null) {
      throw notFound('通知')
    }
    await this.projectNow(user.id)
    return toItem(row)
  }

  /** Marks every item read. @returns how many were unread */
  async markAllRead(user: UserRow): Promise<number> {
    const count = await this.store.markAllRead(user.id, this.now())
    await this.projectNow(user.id)
    return count
  }

  /** Rewrites a user's inbox room from the table, in the background. */
  project(userId: string): void {
    void this.projectNow(userId)
  }

  /** Rewrites a user's inbox room from the table. */
  projectNow(userId: string): Promise<void> {
    const previous = this.projecting.get(userId) ?? Promise.resolve()
    const work = previous.then(() => this.writeRoom(userId))
    this.projecting.set(userId, work)
    void work.finally(() => {
      if (this.projecting.get(userId) === work) {
        this.projecting.delete(userId)
      }
    })
    return work
  }

  private async writeRoom(userId: string): Promise<void> {
    try {
      const rows = await this.store.list(userId, {
        unreadOnly: false,
        limit: ROOM_ITEMS,
        before: null,
      })
      const unread = await this.store.unreadCount(userId)
      const items = rows.map(toItem)
      await this.rooms.publish(`inbox:${userId}`, (doc) => {
        const map = doc.getMap<InboxItem>('items')
        const keep = new Set(items.map((item) => item.id))
        for (const key of [...map.keys()]) {
          if (!keep.has(key)) {
            map.delete(key)
          }
        }
        for (const item of items) {
          if (JSON.stringify(map.get(item.id)) !== JSON.stringify(item)) {
            map.set(item.id, item)
          }
        }
        const summary = doc.getMap<number>('summary')
        if (summary.get('unread') !== unread) {
          summary.set('unread', unread)
        }
      })
    } catch (error) {
      this.logger.error('inbox projection failed', { userId, error: String(error) })
    }
  }
}
