/** Meeting rooms and their bookings (occurrences with a room) in the relational store. */
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { Dialect } from '../database'
import type { MeetingDb, MeetingOccurrencesTable, MeetingRoomsTable } from './schema'
import { compiledQueries } from './compiledQueries'
import type { CompiledQueries } from './compiledQueries'

/** A meeting room row. */
export type MeetingRoomRow = Selectable<MeetingRoomsTable>
/** An occurrence row. */
export type OccurrenceRow = Selectable<MeetingOccurrencesTable>

/**
 * Meeting rooms and bookings on Kysely (both dialects); the queries of booking are compiled once
 * (compiledQueries.ts).
 */
export class MeetingRoomStore {
  private readonly compiled: CompiledQueries

  constructor(
    private readonly db: MeetingDb,
    private readonly dialect: Dialect,
  ) {
    this.compiled = compiledQueries(dialect)
  }

  async insert(row: MeetingRoomRow): Promise<void> {
    await this.db.insertInto('meeting_rooms').values(row).execute()
  }

  async byId(id: string): Promise<MeetingRoomRow | null> {
    const [row] = await this.compiled.run(this.db, 'room.byId', [id], () =>
      this.db.selectFrom('meeting_rooms').selectAll().where('id', '=', id),
    )
    return row ?? null
  }

  async update(id: string, changes: Partial<Omit<MeetingRoomRow, 'id'>>): Promise<void> {
    await this.db.updateTable('meeting_rooms').set(changes).where('id', '=', id).execute()
  }

  /** @returns the rooms of these units and the shared ones, by name (only active ones unless asked). */
  async visible(unitIds: readonly string[], inactiveToo = false): Promise<MeetingRoomRow[]> {
    const shape = `room.visible:${inactiveToo ? 'all' : 'active'}:${unitIds.length}`
    return this.compiled.run(this.db, shape, [...(inactiveToo ? [] : [1]), 1, ...unitIds], () =>
      this.db
        .selectFrom('meeting_rooms')
        .selectAll()
        .$if(!inactiveToo, (qb) => qb.where('active', '=', 1))
        .where((eb) =>
          unitIds.length === 0
            ? eb('shared', '=', 1)
            : eb.or([eb('shared', '=', 1), eb('unit_id', 'in', [...unitIds])]),
        )
        .orderBy('name')
        .orderBy('id'),
    )
  }

  /** @returns the materialised paths of the units a person holds a post in or is placed in. */
  async unitPathsOf(userId: string): Promise<string[]> {
    const rows = await this.compiled.run(this.db, 'room.unitPathsOf', [userId, userId], () =>
      this.db
        .selectFrom('units')
        .select('units.path')
        .where('units.id', 'in', (eb) =>
          eb
            .selectFrom('posts')
            .select('posts.unit_id')
            .where('posts.user_id', '=', userId)
            .union(
              eb
                .selectFrom('users')
                .select('users.unit_id')
                .where('users.id', '=', userId)
                .where('users.unit_id', 'is not', null)
                .$narrowType<{ unit_id: string }>(),
            ),
        ),
    )
    return rows.map((row) => row.path)
  }

  /**
   * Serialises bookings of one room: on PostgreSQL the room's row is locked until the transaction
   * ends (SELECT … FOR UPDATE), so a second booking of the room waits and then sees the first; on
   * SQLite every write transaction begins IMMEDIATE and holds the database's write lock already.
   */
  async lockForBooking(roomId: string): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`SELECT id FROM meeting_rooms WHERE id = ${roomId} FOR UPDATE`.execute(this.db)
    }
  }

  /** @returns the bookings of a room that overlap [start, end) (half-open: touching is free). */
  async overlapping(roomId: string, start: number, end: number): Promise<OccurrenceRow[]> {
    return this.compiled.run(this.db, 'room.overlapping', [roomId, end, start], () =>
      this.db
        .selectFrom('meeting_occurrences')
        .selectAll()
        .where('room_id', '=', roomId)
        .where('start_at', '<', end)
        .where('end_at', '>', start)
        .orderBy('start_at'),
    )
  }

  /** @returns the bookings of these rooms ending after `from` and starting before `to`. */
  async bookings(roomIds: readonly string[], from: number, to: number): Promise<OccurrenceRow[]> {
    if (roomIds.length === 0) {
      return []
    }
    return this.compiled.run(
      this.db,
      `room.bookings:${roomIds.length}`,
      [...roomIds, to, from],
      () =>
        this.db
          .selectFrom('meeting_occurrences')
          .selectAll()
          .where('room_id', 'in', [...roomIds])
          .where('start_at', '<', to)
          .where('end_at', '>', from)
          .orderBy('start_at'),
    )
  }
}
