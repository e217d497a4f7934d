/**
 * Migration `021_meeting_follow_up`: a meeting's agenda and material documents (read by its invitees
 * through the meeting's ACL) and its 议定事项 (tracked follow-up tasks with an owner and a due date).
 */
import type { Kysely, Migration } from 'kysely'

/** @returns the migration, the same on SQLite and PostgreSQL. */
export function meetingFollowUpMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('meeting_documents')
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('meeting_documents_pk', ['meeting_id', 'document_id'])
        .execute()
      await db.schema
        .createIndex('meeting_documents_document')
        .on('meeting_documents')
        .column('document_id')
        .execute()
      await db.schema
        .createIndex('meetings_minutes')
        .on('meetings')
        .column('minutes_document_id')
        .execute()
      await db.schema
        .createTable('meeting_tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('done_at', 'bigint')
        .addColumn('done_by', 'text')
        .execute()
      await db.schema
        .createIndex('meeting_tasks_meeting')
        .on('meeting_tasks')
        .columns(['meeting_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('meeting_tasks_owner')
        .on('meeting_tasks')
        .columns(['owner_id', 'status', 'due_date'])
        .execute()
    },
  }
}
