/** Schema migrations, run at start. Written once for both dialects; the few differences are named. */
import { Migrator, sql } from 'kysely'
import type { Kysely, Migration, MigrationProvider } from 'kysely'
import type { Dialect } from './database'
import { inboxMigration, searchMigration, versionsMigration } from './documentMigrations'
import { unitMembersMigration } from './documents/UnitAccessStore'
import { authLimitsMigration } from './authLimitsMigration'
import { auditKeysMigration } from './auditMigration'
import { clientIdsMigration } from './ClientIdStore'
import {
  approvalRemindersMigration,
  approvalTodoKindMigration,
  approvalsMigration,
} from './approvals/approvalMigration'
import { approvalSetupMigration } from './approvalSetup/migration'
// Issue 21, meetings.
import { meetingsMigration } from './meetings/migration'
import { meetingFollowUpMigration } from './meetings/followUpMigration'
// Issue 22, documents: 归档 and 回收站.
import { documentLifecycleMigration } from './documents/lifecycleMigration'

function migrations(dialect: Dialect): Record<string, Migration> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob'
  return {
    '001_foundation': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('activation_hash', 'text')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('unit_id', 'text')
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()
        await db.schema
          .createTable('documents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('document_members')
          .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('document_members_pk', ['document_id', 'user_id'])
          .execute()
        await db.schema
          .createIndex('document_members_user')
          .on('document_members')
          .column('user_id')
          .execute()
        await db.schema
          .createTable('room_updates')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('room', 'text', (c) => c.notNull())
          .addColumn('data', sql.raw(blob), (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('room_updates_room')
          .on('room_updates')
          .columns(['room', 'id'])
          .execute()
        await db.schema
          .createTable('room_snapshots')
          .addColumn('room', 'text', (c) => c.primaryKey())
          .addColumn('data', sql.raw(blob), (c) => c.notNull())
          .addColumn('last_update_id', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    '002_admin': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('units')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('parent_id', 'text', (c) => c.references('units.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull().unique())
          .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
          // Materialised path of ids from the root, '/a/b/c/', so a subtree is one prefix match.
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('units_path').on('units').column('path').execute()
        await db.schema.createIndex('units_parent').on('units').column('parent_id').execute()
        await db.schema
          .createTable('posts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema.createIndex('posts_user').on('posts').column('user_id').execute()
        await db.schema.createIndex('posts_unit').on('posts').column('unit_id').execute()
        for (const [name, type] of [
          ['phone', 'text'],
          ['pinyin', 'text'],
          ['initials', 'text'],
          ['phone_visibility', 'text'],
          ['deactivated_at', 'bigint'],
        ] as const) {
          await db.schema.alterTable('users').addColumn(name, type).execute()
        }
        await db.schema.createIndex('users_pinyin').on('users').column('pinyin').execute()
        await db.schema.createIndex('users_initials').on('users').column('initials').execute()
        await db.schema
          .createIndex('users_display_name')
          .on('users')
          .column('display_name')
          .execute()
        await db.schema.createIndex('users_unit').on('users').column('unit_id').execute()
        await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
        await db.schema.alterTable('sessions').addColumn('ip', 'text').execute()
        await db.schema
          .createTable('audit_log')
          // Assigned by the writer, one more than the last, so a gap always means a removed row.
          .addColumn('seq', 'bigint', (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('audit_action')
          .on('audit_log')
          .columns(['action', 'seq'])
          .execute()
        await db.schema
          .createIndex('audit_actor')
          .on('audit_log')
          .columns(['actor_id', 'seq'])
          .execute()
        await db.schema
          .createTable('imports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('done', 'integer', (c) => c.notNull())
          // Validated rows waiting for commit, then the activation codes until they are downloaded.
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    '003_document_kind': {
      // The 文种 a document was created as; the live value is the room's meta.docType.
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('documents').addColumn('doc_type', 'text').execute()
      },
    },
    '004_versions': versionsMigration(dialect),
    '005_search': searchMigration(dialect),
    '006_inbox': inboxMigration(),
    '007_unit_members': unitMembersMigration(),
    '010_client_ids': clientIdsMigration(),
    '011_auth_limits': authLimitsMigration(),
    '012_audit_keys': auditKeysMigration(),
    '013_approvals': approvalsMigration(),
    // Two 014s from parallel branches (issue 20): independent tables, applied in name order.
    '014_approval_reminders': approvalRemindersMigration(),
    '014_approval_setup': approvalSetupMigration(),
    '015_approval_todo_kind': approvalTodoKindMigration(),
    // Issue 21, meetings (numbered apart from the approvals' 013-019).
    '020_meetings': meetingsMigration(),
    '021_meeting_follow_up': meetingFollowUpMigration(),
    // Issue 22: 归档 (archived) and 回收站 (deleted) on documents.
    '022_document_lifecycle': documentLifecycleMigration(),
  }
}

/** Brings the schema up to date. @throws when a migration fails. */
export async function migrate(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) }
  // 003_document_kind landed after 004-006 had run on some databases: apply missing ones in any order.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true })
  const { error } = await migrator.migrateToLatest()
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error(String(error))
  }
}
