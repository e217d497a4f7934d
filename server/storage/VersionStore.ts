/** Versions of documents and who wrote what (Yjs client ids and deletions per user). */
import type { Kysely, Selectable } from 'kysely'
import type { Database, DocumentVersionsTable } from './schema'
import { inTransaction } from './transaction'

/** A version row with its state. */
export type VersionRow = Selectable<DocumentVersionsTable>
/** A version row without the (large) state columns. */
export type VersionMeta = Omit<VersionRow, 'state' | 'snapshot'>

/** One stored deletion batch. */
export interface DeletionRow {
  readonly id: number
  readonly user_id: string
  readonly data: Uint8Array
}

const META_COLUMNS = [
  'id',
  'document_id',
  'kind',
  'name',
  'authors',
  'created_by',
  'restored_from',
  'created_at',
] as const

/** Versions, client ids and deletions on Kysely (SQLite or PostgreSQL). */
export class VersionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a version. */
  async insert(row: VersionRow): Promise<void> {
    await this.db.insertInto('document_versions').values(row).execute()
  }

  /** @returns the versions of a document, newest first, without their states. */
  async list(documentId: string, limit: number): Promise<VersionMeta[]> {
    return this.db
      .selectFrom('document_versions')
      .select(META_COLUMNS)
      .where('document_id', '=', documentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
  }

  /** @returns one version with its state, or null. */
  async byId(documentId: string, id: string): Promise<VersionRow | null> {
    const row = await this.db
      .selectFrom('document_versions')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ?? null
  }

  /** @returns the newest version of a document (with its snapshot), or null. */
  async latest(
    documentId: string,
  ): Promise<Pick<VersionRow, 'id' | 'created_at' | 'snapshot'> | null> {
    const row = await this.db
      .selectFrom('document_versions')
      .select(['id', 'created_at', 'snapshot'])
      .where('document_id', '=', documentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row ?? null
  }

  /** Maps client ids to a user; a client id already claimed keeps its first user. */
  async addClients(
    documentId: string,
    userId: string,
    clientIds: readonly number[],
    now: number,
  ): Promise<void> {
    if (clientIds.length === 0) {
      return
    }
    await this.db
      .insertInto('document_clients')
      .values(
        clientIds.map((clientId) => ({
          document_id: documentId,
          client_id: clientId,
          user_id: userId,
          first_seen_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['document_id', 'client_id']).doNothing())
      .execute()
  }

  /** @returns the client ids of a document with their users. */
  async clients(documentId: string): Promise<{ client_id: number; user_id: string }[]> {
    const rows = await this.db
      .selectFrom('document_clients')
      .select(['client_id', 'user_id'])
      .where('document_id', '=', documentId)
      .orderBy('first_seen_at')
      .execute()
    return rows.map((r) => ({ client_id: Number(r.client_id), user_id: r.user_id }))
  }

  /** Appends encoded delete sets of users. */
  async addDeletions(
    documentId: string,
    entries: readonly { userId: string; data: Uint8Array }[],
    now: number,
  ): Promise<void> {
    if (entries.length === 0) {
      return
    }
    await this.db
      .insertInto('document_deletions')
      .values(
        entries.map((e) => ({
          document_id: documentId,
          user_id: e.userId,
          data: e.data,
          created_at: now,
        })),
      )
      .execute()
  }

  /** @returns the stored deletion batches of a document, oldest first. */
  async deletions(documentId: string): Promise<DeletionRow[]> {
    const rows = await this.db
      .selectFrom('document_deletions')
      .select(['id', 'user_id', 'data'])
      .where('document_id', '=', documentId)
      .orderBy('id')
      .execute()
    return rows.map((r) => ({ id: Number(r.id), user_id: r.user_id, data: r.data }))
  }

  /** Replaces the batches up to `lastId` with one merged batch per user, atomically. */
  async replaceDeletions(
    documentId: string,
    lastId: number,
    merged: readonly { userId: string; data: Uint8Array }[],
    now: number,
  ): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .deleteFrom('document_deletions')
        .where('document_id', '=', documentId)
        .where('id', '<=', lastId)
        .execute()
      if (merged.length > 0) {
        await trx
          .insertInto('document_deletions')
          .values(
            merged.map((e) => ({
              document_id: documentId,
              user_id: e.userId,
              data: e.data,
              created_at: now,
            })),
          )
          .execute()
      }
    })
  }
}
