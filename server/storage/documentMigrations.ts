/**
 * Migrations of the 公文 server capabilities: versions and authorship (004), full-text search (005)
 * and the inbox (006). Listed by name in migrations.ts; kept here so that file stays a short index.
 */
import { sql } from 'kysely'
import type { Kysely, Migration, RawBuilder } from 'kysely'
import type { Dialect } from './database'

function blobType(dialect: Dialect): RawBuilder<unknown> {
  return sql.raw(dialect === 'postgres' ? 'bytea' : 'blob')
}

/** 004_versions: document versions, Yjs client ids per user, and each user's deletions. */
export function versionsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
        // 'auto' | 'named' | 'restore'
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        // Y.encodeStateAsUpdate of a gc:false document: the full history up to this version.
        .addColumn('state', blobType(dialect), (c) => c.notNull())
        // Y.encodeSnapshot: the delete set and state vector that mark this version inside a later state.
        .addColumn('snapshot', blobType(dialect), (c) => c.notNull())
        // JSON array of user ids who changed the document since the previous version.
        .addColumn('authors', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('restored_from', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('document_versions_doc')
        .on('document_versions')
        .columns(['document_id', 'created_at'])
        .execute()
      await db.schema
        .createTable('document_clients')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'bigint', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_clients_pk', ['document_id', 'client_id'])
        .execute()
      await db.schema
        .createTable('document_deletions')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        // Y.encodeSnapshot of (delete set, empty state vector): its head is a DSEncoderV1 delete set.
        .addColumn('data', blobType(dialect), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('document_deletions_doc')
        .on('document_deletions')
        .columns(['document_id', 'id'])
        .execute()
    },
  }
}

/** 005_search: the plain text of each document, indexed for substring search in Chinese. */
export function searchMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'sqlite') {
        // The trigram tokenizer matches any substring of three or more characters, which suits
        // Chinese (no word boundaries); shorter queries fall back to LIKE over the same table.
        await sql`CREATE VIRTUAL TABLE document_search USING fts5(
          document_id UNINDEXED, doc_type UNINDEXED, title, body, extra, tokenize = 'trigram'
        )`.execute(db)
        return
      }
      await db.schema
        .createTable('document_search')
        .addColumn('document_id', 'text', (c) => c.primaryKey())
        .addColumn('doc_type', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('extra', 'text', (c) => c.notNull())
        .execute()
      // pg_trgm makes ILIKE '%…%' use a GIN index; without it (not installed, or no right to
      // create it) search still works by scanning. The savepoint keeps the migration's
      // transaction usable when CREATE EXTENSION fails.
      await sql`SAVEPOINT qilu_trgm`.execute(db)
      try {
        await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
        await sql`CREATE INDEX document_search_trgm ON document_search
          USING gin ((title || ' ' || body || ' ' || extra) gin_trgm_ops)`.execute(db)
        await sql`RELEASE SAVEPOINT qilu_trgm`.execute(db)
      } catch {
        await sql`ROLLBACK TO SAVEPOINT qilu_trgm`.execute(db)
      }
    },
  }
}

/** 006_inbox: notifications and 待办 per user; the `inbox:<userId>` room is their projection. */
export function inboxMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('inbox_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        // 'mention' (more kinds come with approvals and meetings)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('excerpt', 'text', (c) => c.notNull())
        .addColumn('link', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text')
        .addColumn('thread_id', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        // What the item is about, unique per user, so replays and resyncs never duplicate it.
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('read_at', 'bigint')
        .addUniqueConstraint('inbox_items_dedupe', ['user_id', 'dedupe_key'])
        .execute()
      await db.schema
        .createIndex('inbox_items_user')
        .on('inbox_items')
        .columns(['user_id', 'created_at'])
        .execute()
    },
  }
}
