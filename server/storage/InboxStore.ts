/** Inbox items (通知/待办) per user on Kysely (SQLite or PostgreSQL). */
import type { Kysely, Selectable } from 'kysely'
import type { Database, InboxItemsTable } from './schema'

/** An inbox row. */
export type InboxRow = Selectable<InboxItemsTable>

/** Which items a listing wants. */
export interface InboxListing {
  readonly unreadOnly: boolean
  readonly limit: number
  /** Only items created before this time (ms), for paging. */
  readonly before: number | null
}

/** The inbox table. */
export class InboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts an item unless the user already has one with its dedupe key. @returns whether it was new */
  async insert(row: InboxRow): Promise<boolean> {
    const inserted = await this.db
      .insertInto('inbox_items')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .returning('id')
      .execute()
    return inserted.length > 0
  }

  /** @returns a user's items, newest first. */
  async list(userId: string, listing: InboxListing): Promise<InboxRow[]> {
    let query = this.db.selectFrom('inbox_items').selectAll().where('user_id', '=', userId)
    if (listing.unreadOnly) {
      query = query.where('read_at', 'is', null)
    }
    if (listing.before !== null) {
      query = query.where('created_at', '<', listing.before)
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(listing.limit).execute()
  }

  /** @returns how many unread items a user has. */
  async unreadCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('inbox_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /**
   * @returns whether the user has an unread item of this kind about this document from this actor,
   *   created at `since` or later (a burst of activity is told once, until it is read).
   */
  async hasUnreadFrom(
    userId: string,
    about: { kind: string; documentId: string; actorId: string; since: number },
  ): Promise<boolean> {
    const row = await this.db
      .selectFrom('inbox_items')
      .select('id')
      .where('user_id', '=', userId)
      .where('created_at', '>=', about.since)
      .where('read_at', 'is', null)
      .where('kind', '=', about.kind)
      .where('document_id', '=', about.documentId)
      .where('actor_id', '=', about.actorId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  /** @returns one item of a user, or null. */
  async byId(userId: string, id: string): Promise<InboxRow | null> {
    const row = await this.db
      .selectFrom('inbox_items')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ?? null
  }

  /** Marks one item read (keeps the first read time). */
  async markRead(userId: string, id: string, now: number): Promise<void> {
    await this.db
      .updateTable('inbox_items')
      .set({ read_at: now })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .execute()
  }

  /** Marks every unread item of a user read. @returns how many */
  async markAllRead(userId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('inbox_items')
      .set({ read_at: now })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }
}
