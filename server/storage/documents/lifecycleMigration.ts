/**
 * Migration `022_document_lifecycle`: a document's 归档 (archived: read-only for everyone) and its
 * place in the 回收站 (deleted: gone from every list and room until restored). Both are plain
 * columns on `documents`, so the one ACL query (readableDocuments) and the relay's access check
 * read them with the row.
 */
import type { Kysely, Migration } from 'kysely'

/** @returns the migration (the same on SQLite and PostgreSQL). */
export function documentLifecycleMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, type] of [
        ['archived_at', 'bigint'],
        ['archived_by', 'text'],
        ['deleted_at', 'bigint'],
        ['deleted_by', 'text'],
      ] as const) {
        await db.schema.alterTable('documents').addColumn(name, type).execute()
      }
      // The 回收站 lists deleted documents, the purge finds old ones: both by deleted_at.
      await db.schema
        .createIndex('documents_deleted_at')
        .on('documents')
        .column('deleted_at')
        .execute()
    },
  }
}
