/** Documents and their personal members in the relational store (unit grants: UnitAccessStore). */
import type { Insertable, Kysely } from 'kysely'
import type { Database, DocumentsTable } from '../schema'
import type { MemberRole } from '../../../shared/domain/roles'
import { inTransaction } from '../transaction'
import { compiledQueriesOf } from '../compiledQueries'
import { UnitAccessStore } from './UnitAccessStore'
import { readableDocuments } from './readableDocuments'
import type { DocumentRow, DocumentWithRole } from './readableDocuments'

export type { DocumentRow, DocumentWithRole } from './readableDocuments'

/** A member of a document with the person's names. */
export interface MemberRow {
  readonly user_id: string
  readonly username: string
  readonly display_name: string
  readonly role: MemberRole
}

/** A document's lifecycle and a user's effective role in it (DocumentStore.access). */
export interface DocumentAccess {
  readonly archivedAt: number | null
  readonly deletedAt: number | null
  readonly memberRole: MemberRole | null
}

/** A document in the 回收站, with its owner's and its deleter's names. */
export interface TrashRow extends DocumentRow {
  readonly owner_name: string
  readonly deleted_by_name: string | null
}

/** Documents and ACLs on Kysely (both dialects); bound to a transaction inside a unit of work. */
export class DocumentStore {
  /** Roles granted to units (a personal role wins). */
  readonly unitAccess: UnitAccessStore

  constructor(private readonly db: Kysely<Database>) {
    this.unitAccess = new UnitAccessStore(db)
  }

  async insert(row: Insertable<DocumentsTable>): Promise<void> {
    await this.db.insertInto('documents').values(row).execute()
  }

  async byId(id: string): Promise<DocumentRow | null> {
    return (
      (await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  /** @returns when the document was archived and deleted (null: not), or null when it does not exist. */
  async lifecycle(
    id: string,
  ): Promise<{ archivedAt: number | null; deletedAt: number | null } | null> {
    const row = await this.db
      .selectFrom('documents')
      .select(['archived_at', 'deleted_at'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? null : { archivedAt: row.archived_at, deletedAt: row.deleted_at }
  }

  async update(id: string, changes: Partial<Omit<DocumentRow, 'id'>>): Promise<void> {
    await this.db.updateTable('documents').set(changes).where('id', '=', id).execute()
  }

  /** Documents the user may open, newest change first (personal members and unit grants). */
  ofUser(userId: string): Promise<DocumentWithRole[]> {
    return readableDocuments(this.db, this.unitAccess, userId, (query) =>
      query.orderBy('d.updated_at', 'desc'),
    )
  }

  /**
   * The user's effective role: the personal one, else the highest unit role that reaches them;
   * null for everyone while the document is in the 回收站.
   */
  async memberRole(documentId: string, userId: string): Promise<MemberRole | null> {
    return (await this.access(documentId, userId))?.memberRole ?? null
  }

  /**
   * The document's lifecycle and the user's effective role (as memberRole), read with one query
   * when the user is a personal member — what every socket opened on a document asks.
   * @returns null when the document does not exist
   */
  async access(documentId: string, userId: string): Promise<DocumentAccess | null> {
    // The personal role as a scalar subquery, not a left join: on SQLite (2,000 documents of 4
    // members, in memory) 2–4 µs against the join's 9–11 and the three queries' 3–6. Compiled
    // once: building and compiling a query cost more than running it.
    const [row] = await compiledQueriesOf(this.db).run(
      this.db,
      'documents.access',
      [documentId, userId, documentId],
      () =>
        this.db
          .selectFrom('documents')
          .select(['archived_at', 'deleted_at'])
          .select((eb) =>
            eb
              .selectFrom('document_members')
              .select('role')
              .where('document_id', '=', documentId)
              .where('user_id', '=', userId)
              .as('role'),
          )
          .where('id', '=', documentId),
    )
    if (row === undefined) {
      return null
    }
    const state = { archivedAt: row.archived_at, deletedAt: row.deleted_at }
    if (row.deleted_at !== null) {
      return { ...state, memberRole: null }
    }
    // A personal role wins over any unit role, even a higher one.
    const memberRole =
      (row.role as MemberRole | null) ??
      (await this.unitAccess.unitRoles(userId, [documentId])).get(documentId) ??
      null
    return { ...state, memberRole }
  }

  /**
   * The documents in the 回收站 that `ownerId` owns (every one with null: a sysadmin's view),
   * most recently deleted first, with the owner's and the deleter's names.
   */
  async trash(ownerId: string | null, limit = 200): Promise<TrashRow[]> {
    let query = this.db
      .selectFrom('documents as d')
      .innerJoin('users as o', 'o.id', 'd.owner_id')
      .leftJoin('users as x', 'x.id', 'd.deleted_by')
      .selectAll('d')
      .select(['o.display_name as owner_name', 'x.display_name as deleted_by_name'])
      .where('d.deleted_at', 'is not', null)
    if (ownerId !== null) {
      query = query.where('d.owner_id', '=', ownerId)
    }
    return query.orderBy('d.deleted_at', 'desc').limit(limit).execute()
  }

  async setMember(documentId: string, userId: string, role: MemberRole): Promise<void> {
    await this.db
      .insertInto('document_members')
      .values({ document_id: documentId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['document_id', 'user_id']).doUpdateSet({ role }))
      .execute()
  }

  async removeMember(documentId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('document_members')
      .where('document_id', '=', documentId)
      .where('user_id', '=', userId)
      .execute()
  }

  /** The personal members of a document, by username. */
  async members(documentId: string): Promise<MemberRow[]> {
    const rows = await this.db
      .selectFrom('document_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.username', 'u.display_name', 'm.role'])
      .where('m.document_id', '=', documentId)
      .orderBy('u.username')
      .execute()
    return rows.map((r) => ({ ...r, role: r.role as MemberRole }))
  }

  /**
   * Hands the documents one account owns to another (deactivation with a successor): the successor
   * becomes owner, the former owner an editor. @returns how many documents moved
   */
  transferOwnership(fromUserId: string, toUserId: string): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const owned = await trx
        .selectFrom('documents')
        .select('id')
        .where('owner_id', '=', fromUserId)
        .execute()
      for (const { id } of owned) {
        await trx
          .updateTable('documents')
          .set({ owner_id: toUserId })
          .where('id', '=', id)
          .execute()
        await trx
          .insertInto('document_members')
          .values({ document_id: id, user_id: toUserId, role: 'owner' })
          .onConflict((oc) => oc.columns(['document_id', 'user_id']).doUpdateSet({ role: 'owner' }))
          .execute()
        await trx
          .updateTable('document_members')
          .set({ role: 'editor' })
          .where('document_id', '=', id)
          .where('user_id', '=', fromUserId)
          .execute()
      }
      return owned.length
    })
  }
}
