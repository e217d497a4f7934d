/**
 * Bindings of Yjs client ids to accounts, per document (DESIGN.md §5: state every relay node needs
 * to enforce a rule lives in the database). The first account to write with a client id owns it;
 * insert-if-absent makes that race-free across nodes.
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'
import type { Database } from './schema'

/** Migration `010_client_ids`: the bindings, seeded from the authorship already recorded. */
export function clientIdsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_client_ids')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'bigint', (c) => c.notNull())
        // A user id, or RELAY_OWNER for the relay's own writes.
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_client_ids_pk', ['document_id', 'client_id'])
        .execute()
      // Who wrote with which client id so far (first writer per document and client id).
      await sql`INSERT INTO document_client_ids (document_id, client_id, owner, claimed_at)
        SELECT document_id, client_id, user_id, first_seen_at FROM document_clients`.execute(db)
    },
  }
}

/** Client id bindings on Kysely (both dialects). */
export class ClientIdStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Binds the client ids nobody owns yet to `owner`.
   * @returns the owner of each of the ids afterwards (theirs, or whoever claimed it first)
   */
  async claim(
    documentId: string,
    owner: string,
    clientIds: readonly number[],
    now: number,
  ): Promise<Map<number, string>> {
    if (clientIds.length === 0) {
      return new Map()
    }
    await this.db
      .insertInto('document_client_ids')
      .values(
        clientIds.map((clientId) => ({
          document_id: documentId,
          client_id: clientId,
          owner,
          claimed_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['document_id', 'client_id']).doNothing())
      .execute()
    const rows = await this.db
      .selectFrom('document_client_ids')
      .select(['client_id', 'owner'])
      .where('document_id', '=', documentId)
      .where('client_id', 'in', [...clientIds])
      .execute()
    // PostgreSQL returns bigint columns as strings.
    return new Map(rows.map((row) => [Number(row.client_id), row.owner]))
  }
}
