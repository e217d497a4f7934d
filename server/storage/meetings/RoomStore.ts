/** Meeting rooms and their bookings (occurrences with a room) in the relational store. */
import type { Selectable } from 'kysely'
import type { Dialect } from '../database'
import type { MeetingDb, MeetingOccurrencesTable, MeetingRoomsTable } from './schema'
import { compiledQueries } from '../compiledQueries'
import { MAX_MEETING_MS } from '../../../shared/http/routes/meetings'
import type { CompiledQueries } from '../compiledQueries'

/** A meeting room row. */
export type MeetingRoomRow = Selectable<MeetingRoomsTable>
/** An occurrence row. */
export type OccurrenceRow = Selectable<MeetingOccurrencesTable>

/**
 * Meeting rooms and bookings on Kysely (both dialects); the queries of booking are compiled once
 * (compiledQueries.ts). No occurrence lasts longer than MAX_MEETING_MS (the service refuses it), so
 * the bookings overlapping a time start less than that before it: the reads of a room's bookings
 * scan the (room_id, start_at) index over that window only, not over the room's whole past.
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
            // UNION ALL: IN ignores duplicates anyway, and SQLite's UNION sorts to remove them
            // (22 against 5 µs a call).
            .unionAll(
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
   * Serialises bookings of these rooms and reads them: on PostgreSQL their rows are locked until
   * the transaction ends (SELECT … ORDER BY id FOR UPDATE: locked in the order of their ids, so two
   * nodes locking the same rooms cannot deadlock), and a second booking of one of them waits, then
   * sees the first; on SQLite every write transaction begins IMMEDIATE and holds the database's
   * write lock already.
   * @returns the rows of those that exist, by id
   */
  async lockForBooking(roomIds: readonly string[]): Promise<MeetingRoomRow[]> {
    if (roomIds.length === 0) {
      return []
    }
    const locking = this.dialect === 'postgres'
    return this.compiled.run(this.db, `room.lockForBooking:${roomIds.length}`, [...roomIds], () =>
      this.db
        .selectFrom('meeting_rooms')
        .selectAll()
        .where('id', 'in', [...roomIds])
        .orderBy('id')
        .$if(locking, (qb) => qb.forUpdate()),
    )
  }

  /** @returns the materialised paths of the units each of these people holds a post in or is placed in. */
  async unitPathsOfEach(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const paths = new Map<string, string[]>(userIds.map((id) => [id, []]))
    if (userIds.length === 0) {
      return paths
    }
    const rows = await this.compiled.run(
      this.db,
      `room.unitPathsOfEach:${userIds.length}`,
      [...userIds, ...userIds],
      () =>
        this.db
          .selectFrom('posts')
          .innerJoin('units', 'units.id', 'posts.unit_id')
          .select(['posts.user_id as user_id', 'units.path as path'])
          .where('posts.user_id', 'in', [...userIds])
          .unionAll((eb) =>
            eb
              .selectFrom('users')
              .innerJoin('units', 'units.id', 'users.unit_id')
              .select(['users.id as user_id', 'units.path as path'])
              .where('users.id', 'in', [...userIds]),
          ),
    )
    for (const row of rows) {
      paths.get(row.user_id)?.push(row.path)
    }
    return paths
  }

  /** @returns the bookings of a room that overlap [start, end) (half-open: touching is free). */
  async overlapping(roomId: string, start: number, end: number): Promise<OccurrenceRow[]> {
    const after = start - MAX_MEETING_MS
    return this.compiled.run(this.db, 'room.overlapping', [roomId, end, after, start], () =>
      this.db
        .selectFrom('meeting_occurrences')
        .selectAll()
        .where('room_id', '=', roomId)
        .where('start_at', '<', end)
        .where('start_at', '>', after)
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
      [...roomIds, to, from - MAX_MEETING_MS, from],
      () =>
        this.db
          .selectFrom('meeting_occurrences')
          .selectAll()
          .where('room_id', 'in', [...roomIds])
          .where('start_at', '<', to)
          .where('start_at', '>', from - MAX_MEETING_MS)
          .where('end_at', '>', from)
          .orderBy('start_at'),
    )
  }
}
