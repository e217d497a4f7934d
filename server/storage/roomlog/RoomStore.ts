/**
 * The room log's tables (`room_updates`, `room_snapshots`) through Kysely, on either dialect: the
 * log of StorageRoomLog (PostgreSQL), the seed a unit of work writes with a new document, and the
 * direct access tools and tests use. The relay's hot path goes through a RoomLog.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import { inTransaction } from '../transaction'
import type { RoomLogEntry, StoredRoom } from './RoomLog'

/** The room log's rows; bound to a transaction inside a unit of work. */
export class RoomStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends one update per entry, of any rooms, in one statement. */
  async appendEntries(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    if (entries.length === 0) {
      return
    }
    await this.db
      .insertInto('room_updates')
      .values(entries.map((entry) => ({ room: entry.room, data: entry.update, created_at: now })))
      .execute()
  }

  /** Appends updates to a room's log in one statement. @returns the id of the last one. */
  async appendUpdates(room: string, updates: readonly Uint8Array[], now: number): Promise<number> {
    if (updates.length === 0) {
      return 0
    }
    const rows = await this.db
      .insertInto('room_updates')
      .values(updates.map((data) => ({ room, data, created_at: now })))
      .returning('id')
      .execute()
    return Math.max(...rows.map((r) => Number(r.id)))
  }

  /** Reads a room's snapshot and the updates logged after it. */
  async load(room: string): Promise<StoredRoom> {
    const snapshot = await this.db
      .selectFrom('room_snapshots')
      .select(['data', 'last_update_id'])
      .where('room', '=', room)
      .executeTakeFirst()
    const after = snapshot === undefined ? 0 : Number(snapshot.last_update_id)
    const rows = await this.db
      .selectFrom('room_updates')
      .select(['id', 'data'])
      .where('room', '=', room)
      .where('id', '>', after)
      .orderBy('id')
      .execute()
    const last = rows.at(-1)
    // pg and better-sqlite3 return Buffers, which Yjs takes as the Uint8Arrays they are.
    return {
      snapshot: snapshot === undefined ? null : snapshot.data,
      updates: rows.map((r) => r.data),
      lastUpdateId: last === undefined ? after : Number(last.id),
    }
  }

  /** Number of logged updates after the snapshot. */
  async countUpdates(room: string): Promise<number> {
    const row = await this.db
      .selectFrom('room_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room', '=', room)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Replaces the snapshot with `data` (which folds every update ≤ lastUpdateId) and drops those updates. */
  async compact(room: string, data: Uint8Array, lastUpdateId: number, now: number): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('room_snapshots')
        .values({ room, data, last_update_id: lastUpdateId, updated_at: now })
        .onConflict((oc) =>
          oc.column('room').doUpdateSet({ data, last_update_id: lastUpdateId, updated_at: now }),
        )
        .execute()
      await trx
        .deleteFrom('room_updates')
        .where('room', '=', room)
        .where('id', '<=', lastUpdateId)
        .execute()
    })
  }
}
