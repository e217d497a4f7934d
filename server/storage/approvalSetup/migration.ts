/** Migration `014_approval_setup`: device keys, delegations, admins' flows and forms, 机关代字. */
import type { Kysely, Migration } from 'kysely'

/** @returns the migration, the same on SQLite and PostgreSQL. */
export function approvalSetupMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('device_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        // One key, one account, for ever: a revoked key cannot come back under another account.
        .addColumn('public_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('device_keys_user')
        .on('device_keys')
        .columns(['user_id', 'created_at'])
        .execute()
      await db.schema
        .createTable('delegations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('from_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('to_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('delegations_from')
        .on('delegations')
        .columns(['from_user_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('delegations_to')
        .on('delegations')
        .columns(['to_user_id', 'created_at'])
        .execute()
      await db.schema
        .createTable('approval_flows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('approval_forms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('approval_forms_flow')
        .on('approval_forms')
        .column('flow_id')
        .execute()
      await db.schema
        .createTable('unit_agency_codes')
        .addColumn('unit_id', 'text', (c) =>
          // A deleted unit takes its 机关代字 along (units are deleted only when empty).
          c.primaryKey().references('units.id').onDelete('cascade'),
        )
        .addColumn('agency_code', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()
    },
  }
}
