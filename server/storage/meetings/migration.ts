/** Migration `020_meetings`: meeting rooms, meetings, occurrences, invitees, sign-ins, reminders. */
import type { Kysely, Migration } from 'kysely'

/** @returns the migration, the same on SQLite and PostgreSQL. */
export function meetingsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('meeting_rooms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('equipment', 'text', (c) => c.notNull())
        .addColumn('opening_hours', 'text')
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('meeting_rooms_unit')
        .on('meeting_rooms')
        .column('unit_id')
        .execute()
      await db.schema
        .createTable('meetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('organiser_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('room_id', 'text', (c) => c.references('meeting_rooms.id'))
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('all_day', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('online_link', 'text')
        .addColumn('recurrence_until', 'bigint')
        .addColumn('minutes_document_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('meetings_organiser')
        .on('meetings')
        .columns(['organiser_id', 'start_at'])
        .execute()
      await db.schema
        .createTable('meeting_occurrences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('room_id', 'text', (c) => c.references('meeting_rooms.id'))
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('meeting_occurrences_room')
        .on('meeting_occurrences')
        .columns(['room_id', 'start_at'])
        .execute()
      await db.schema
        .createIndex('meeting_occurrences_start')
        .on('meeting_occurrences')
        .columns(['start_at', 'end_at'])
        .execute()
      await db.schema
        .createIndex('meeting_occurrences_meeting')
        .on('meeting_occurrences')
        .column('meeting_id')
        .execute()
      await db.schema
        .createTable('meeting_invitees')
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('via_unit_id', 'text')
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('deputy_id', 'text')
        .addColumn('deputy_for', 'text')
        .addColumn('responded_at', 'bigint')
        .addPrimaryKeyConstraint('meeting_invitees_pk', ['meeting_id', 'user_id'])
        .execute()
      await db.schema
        .createTable('meeting_checkins')
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('occurrence_start', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('meeting_checkins_pk', [
          'meeting_id',
          'occurrence_start',
          'user_id',
        ])
        .execute()
      await db.schema
        .createIndex('meeting_invitees_user')
        .on('meeting_invitees')
        .column('user_id')
        .execute()
      await db.schema
        .createTable('meeting_reminders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('meeting_reminders_due')
        .on('meeting_reminders')
        .columns(['sent_at', 'due_at'])
        .execute()
    },
  }
}
