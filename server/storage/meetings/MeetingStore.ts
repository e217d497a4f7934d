/** Meetings, their occurrences, invitees and reminders in the relational store. */
import type { Compilable, Selectable } from 'kysely'
import type {
  MeetingCheckinsTable,
  MeetingDb,
  MeetingInviteesTable,
  MeetingOccurrencesTable,
  MeetingRemindersTable,
  MeetingsTable,
} from './schema'
import type { Dialect } from '../database'
import { compiledQueries } from '../compiledQueries'
import type { CompiledQueries } from '../compiledQueries'

/** A meeting row. */
export type MeetingRow = Selectable<MeetingsTable>
/** An invitee row. */
export type InviteeRow = Selectable<MeetingInviteesTable>
/** A sign-in row. */
export type CheckinRow = Selectable<MeetingCheckinsTable>
/** A reminder row. */
export type ReminderRow = Selectable<MeetingRemindersTable>
type OccurrenceRow = Selectable<MeetingOccurrencesTable>

/** A busy block of a person. */
export interface BusyRow {
  readonly user_id: string
  readonly start_at: number
  readonly end_at: number
}

/** A new meeting's rows. */
export interface NewMeeting {
  readonly meeting: MeetingRow
  readonly occurrences: readonly OccurrenceRow[]
  readonly invitees: readonly InviteeRow[]
  readonly reminders: readonly ReminderRow[]
}

/** Most rows of one compiled insert (the shapes of a table: one per row count up to it). */
const COMPILED_CHUNK = 64
/** Most rows of one other insert. */
const INSERT_CHUNK = 200

/** Responses that keep a person away (no longer busy, no longer counted as coming). */
const NOT_COMING = ['decline', 'deputy']

/** @returns the values of rows in the order of the first row's columns (as Kysely binds them). */
function valuesOf<R extends object>(rows: readonly R[]): { columns: string; values: unknown[] } {
  const keys = Object.keys(rows[0] ?? {}) as (keyof R)[]
  return {
    columns: keys.join(','),
    values: rows.flatMap((row) => keys.map((key) => row[key])),
  }
}

/** Meetings on Kysely (both dialects); a booking's inserts are compiled once (compiledQueries.ts). */
export class MeetingStore {
  private readonly compiled: CompiledQueries

  constructor(
    private readonly db: MeetingDb,
    dialect: Dialect,
  ) {
    this.compiled = compiledQueries(dialect)
  }

  /**
   * Inserts new meetings with their occurrences, invitees and reminders: one multi-row statement
   * per table and chunk for all of them (a batch of bookings writes its winners together: on
   * PostgreSQL a round trip per table, not per meeting).
   */
  async insertAll(meetings: readonly NewMeeting[]): Promise<void> {
    await this.insertCompiled(
      'meeting.insert',
      meetings.map((one) => one.meeting),
      (rows) => this.db.insertInto('meetings').values([...rows]),
    )
    await this.insertCompiled(
      'occurrence.insert',
      meetings.flatMap((one) => one.occurrences),
      (rows) => this.db.insertInto('meeting_occurrences').values([...rows]),
    )
    // Batches keep each statement under both drivers' parameter limits.
    const invitees = meetings.flatMap((one) => one.invitees)
    for (let i = 0; i < invitees.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('meeting_invitees')
        .values(invitees.slice(i, i + INSERT_CHUNK))
        .execute()
    }
    const reminders = meetings.flatMap((one) => one.reminders)
    for (let i = 0; i < reminders.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('meeting_reminders')
        .values(reminders.slice(i, i + INSERT_CHUNK))
        .execute()
    }
  }

  /**
   * Inserts rows of one table through compiled statements of at most COMPILED_CHUNK rows: the
   * shape names the columns and the row count (rows of another order bind as compiled), so a
   * table has at most COMPILED_CHUNK shapes.
   */
  private async insertCompiled<R extends object>(
    name: string,
    rows: readonly R[],
    build: (rows: readonly R[]) => Compilable<unknown>,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += COMPILED_CHUNK) {
      const chunk = rows.slice(i, i + COMPILED_CHUNK)
      const bound = valuesOf(chunk)
      await this.compiled.run(
        this.db,
        `${name}:${chunk.length}:${bound.columns}`,
        bound.values,
        () => build(chunk),
      )
    }
  }

  async byId(id: string): Promise<MeetingRow | null> {
    return (
      (await this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  /** @returns the meeting whose minutes this document is, if any. */
  async byMinutes(documentId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('meetings')
      .select('id')
      .where('minutes_document_id', '=', documentId)
      .executeTakeFirst()
    return row?.id ?? null
  }

  async update(id: string, changes: Partial<Omit<MeetingRow, 'id'>>): Promise<void> {
    await this.db.updateTable('meetings').set(changes).where('id', '=', id).execute()
  }

  async invitees(meetingId: string): Promise<InviteeRow[]> {
    return this.db
      .selectFrom('meeting_invitees')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('user_id')
      .execute()
  }

  async invitee(meetingId: string, userId: string): Promise<InviteeRow | null> {
    return (
      (await this.db
        .selectFrom('meeting_invitees')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .where('user_id', '=', userId)
        .executeTakeFirst()) ?? null
    )
  }

  /** Withdraws invitations (their answers go with them; sign-ins stay on record). */
  async removeInvitees(meetingId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length > 0) {
      await this.db
        .deleteFrom('meeting_invitees')
        .where('meeting_id', '=', meetingId)
        .where('user_id', 'in', [...userIds])
        .execute()
    }
  }

  async insertInvitee(row: InviteeRow): Promise<void> {
    await this.db.insertInto('meeting_invitees').values(row).execute()
  }

  async updateInvitee(
    meetingId: string,
    userId: string,
    changes: Partial<Omit<InviteeRow, 'meeting_id' | 'user_id'>>,
  ): Promise<void> {
    await this.db
      .updateTable('meeting_invitees')
      .set(changes)
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .execute()
  }

  /** @returns the sign-ins of one occurrence. */
  async checkins(meetingId: string, occurrenceStart: number): Promise<CheckinRow[]> {
    return this.db
      .selectFrom('meeting_checkins')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('occurrence_start', '=', occurrenceStart)
      .orderBy('at')
      .execute()
  }

  /** Records a sign-in, replacing an earlier one of the person at that occurrence. */
  async putCheckin(row: CheckinRow): Promise<void> {
    await this.db
      .insertInto('meeting_checkins')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['meeting_id', 'occurrence_start', 'user_id'])
          .doUpdateSet({ at: row.at, by: row.by, late: row.late }),
      )
      .execute()
  }

  /** @returns the occurrences of the meetings a person organises or attends, in [from, to). */
  async calendar(
    userId: string,
    from: number,
    to: number,
  ): Promise<(OccurrenceRow & { title: string; all_day: number })[]> {
    return this.db
      .selectFrom('meeting_occurrences as o')
      .innerJoin('meetings as m', 'm.id', 'o.meeting_id')
      .selectAll('o')
      .select(['m.title', 'm.all_day'])
      .where('o.start_at', '<', to)
      .where('o.end_at', '>', from)
      .where((eb) =>
        eb.or([
          eb('m.organiser_id', '=', userId),
          eb(
            'o.meeting_id',
            'in',
            eb
              .selectFrom('meeting_invitees')
              .select('meeting_id')
              .where('user_id', '=', userId)
              .where('response', 'not in', NOT_COMING),
          ),
        ]),
      )
      .orderBy('o.start_at')
      .limit(2000)
      .execute()
  }

  /** @returns the busy blocks of these persons in [from, to): meetings they attend or organise. */
  async busy(userIds: readonly string[], from: number, to: number): Promise<BusyRow[]> {
    if (userIds.length === 0) {
      return []
    }
    const ids = [...userIds]
    const invited = this.db
      .selectFrom('meeting_occurrences as o')
      .innerJoin('meeting_invitees as i', 'i.meeting_id', 'o.meeting_id')
      .select(['i.user_id as user_id', 'o.start_at as start_at', 'o.end_at as end_at'])
      .where('i.user_id', 'in', ids)
      .where('i.response', 'not in', NOT_COMING)
      .where('o.start_at', '<', to)
      .where('o.end_at', '>', from)
    const organised = this.db
      .selectFrom('meeting_occurrences as o')
      .innerJoin('meetings as m', 'm.id', 'o.meeting_id')
      .select(['m.organiser_id as user_id', 'o.start_at as start_at', 'o.end_at as end_at'])
      .where('m.organiser_id', 'in', ids)
      .where('o.start_at', '<', to)
      .where('o.end_at', '>', from)
    const rows = await invited.union(organised).execute()
    return rows.map((row) => ({
      user_id: row.user_id,
      start_at: Number(row.start_at),
      end_at: Number(row.end_at),
    }))
  }

  /** @returns reminders due by `now` and not sent, oldest first. */
  async dueReminders(now: number, limit: number): Promise<ReminderRow[]> {
    return this.db
      .selectFrom('meeting_reminders')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .execute()
  }

  /** Claims a reminder. @returns whether this call claimed it (a reminder is claimed once, ever). */
  async claimReminder(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('meeting_reminders')
      .set({ sent_at: now })
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
