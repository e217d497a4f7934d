/**
 * The meetings tables (020_meetings), typed for Kysely. Kept out of server/storage/schema.ts: the
 * meetings stores see them through `db.withTables<MeetingTables>()`.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'

/** A bookable meeting room of a unit. */
export interface MeetingRoomsTable {
  id: string
  name: string
  unit_id: string
  capacity: number
  /** JSON array of equipment names. */
  equipment: string
  /** JSON `{ from, to }` (local HH:MM) or null: always open. */
  opening_hours: string | null
  /** 1: bookable by every unit. */
  shared: number
  active: number
  created_at: number
  created_by: string
}

/** A meeting. */
export interface MeetingsTable {
  id: string
  title: string
  organiser_id: string
  room_id: string | null
  /** The first occurrence, ms since the epoch. */
  start_at: number
  end_at: number
  all_day: number
  online_link: string | null
  /** Weekly recurrence end (ms) or null. */
  recurrence_until: number | null
  minutes_document_id: string | null
  created_at: number
}

/**
 * One occurrence of a meeting (one row, or one per week when recurring): the half-open interval
 * [start_at, end_at), and the room it books (null: online or no room).
 */
export interface MeetingOccurrencesTable {
  id: string
  meeting_id: string
  room_id: string | null
  start_at: number
  end_at: number
}

/** One invitee of a meeting, with their answer and sign-in. */
export interface MeetingInviteesTable {
  meeting_id: string
  user_id: string
  /** 'required' | 'observer' */
  role: string
  via_unit_id: string | null
  /** 'pending' | 'accept' | 'decline' | 'tentative' | 'deputy' */
  response: string
  reason: string | null
  deputy_id: string | null
  /** The invitee this person attends for (代参会). */
  deputy_for: string | null
  responded_at: number | null
}

/** One sign-in of one person at one occurrence of a meeting. */
export interface MeetingCheckinsTable {
  meeting_id: string
  user_id: string
  /** The start of the occurrence signed in to (ms). */
  occurrence_start: number
  at: number
  /** 'self' | 'organiser' */
  by: string
  late: number
}

/** A reminder to send once: claimed by setting `sent_at`. */
export interface MeetingRemindersTable {
  id: string
  meeting_id: string
  due_at: number
  sent_at: number | null
}

/** A document attached to a meeting (021): its agenda or a material, read by its invitees. */
export interface MeetingDocumentsTable {
  meeting_id: string
  document_id: string
  /** 'agenda' | 'material' */
  kind: string
  added_by: string
  added_at: number
}

/** One 议定事项 of a meeting (021): a follow-up task with an owner and a due date. */
export interface MeetingTasksTable {
  id: string
  meeting_id: string
  title: string
  owner_id: string
  /** Local Asia/Shanghai date `YYYY-MM-DD`. */
  due_date: string
  /** 'open' | 'done' */
  status: string
  created_by: string
  created_at: number
  done_at: number | null
  done_by: string | null
}

/** The meetings tables (a type alias: Kysely's withTables wants an index signature). */
export type MeetingTables = {
  meeting_rooms: MeetingRoomsTable
  meetings: MeetingsTable
  meeting_occurrences: MeetingOccurrencesTable
  meeting_invitees: MeetingInviteesTable
  meeting_checkins: MeetingCheckinsTable
  meeting_reminders: MeetingRemindersTable
  meeting_documents: MeetingDocumentsTable
  meeting_tasks: MeetingTasksTable
}

/** The database with the meetings tables. */
export type MeetingDb = Kysely<Database & MeetingTables>

/** @returns `db` typed with the meetings tables. */
export function meetingDb(db: Kysely<Database>): MeetingDb {
  return db.withTables<MeetingTables>() as MeetingDb
}
