/**
 * Full-text search over documents in Chinese. SQLite: an FTS5 table with the trigram tokenizer
 * (any substring of three or more characters; one- and two-character terms fall back to LIKE over
 * the same table). PostgreSQL: ILIKE over the concatenated text, served by a pg_trgm GIN index.
 * Results are always restricted to the documents the searching user may read: those they are a
 * member of, and those granted to a unit they hold a post in (or below).
 */
import { sql } from 'kysely'
import type { Expression, Kysely, SqlBool } from 'kysely'
import type { Database, DocumentSearchTable } from './schema'
import type { Dialect } from './database'
import { likeContains } from './like'
import { UnitAccessStore } from './documents/UnitAccessStore'
import { readableDocuments } from './documents/readableDocuments'
import type { DocumentWithRole, ReadableQuery } from './documents/readableDocuments'

/** What a search asks for. */
export interface SearchQuery {
  /** Every term must match (title or indexed text); empty lists everything. */
  readonly terms: readonly string[]
  readonly filter: 'all' | 'mine' | 'shared'
  readonly docType: string | null
  readonly limit: number
}

/** A found document; `doc_type` is the live 文种 (indexed meta, else the one it was created as). */
export type SearchRow = DocumentWithRole

/** The shortest term the trigram index can serve. */
const TRIGRAM = 3

/** @returns an FTS5 phrase query matching `term` literally. */
function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`
}

/** The search index on Kysely. */
export class SearchStore {
  private readonly unitAccess: UnitAccessStore

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {
    this.unitAccess = new UnitAccessStore(db)
  }

  /** Replaces the indexed text of a document. */
  async upsert(row: DocumentSearchTable): Promise<void> {
    if (this.dialect === 'postgres') {
      const { document_id: _id, ...changes } = row
      await this.db
        .insertInto('document_search')
        .values(row)
        .onConflict((oc) => oc.column('document_id').doUpdateSet(changes))
        .execute()
      return
    }
    // FTS5 tables have no unique constraints: delete and insert in one transaction.
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('document_search').where('document_id', '=', row.document_id).execute()
      await trx.insertInto('document_search').values(row).execute()
    })
  }

  /**
   * @returns the documents `userId` may read (personal members, or reached through a unit grant)
   *   matching the query, most recently changed first.
   */
  async search(userId: string, query: SearchQuery): Promise<SearchRow[]> {
    const rows = await readableDocuments(this.db, this.unitAccess, userId, (select) =>
      this.refine(select, userId, query),
    )
    const docTypes = await this.docTypes(rows.map((r) => r.id))
    return rows.map((r) => ({ ...r, doc_type: docTypes.get(r.id) ?? r.doc_type ?? null }))
  }

  /** Narrows the document-ACL query to the search's filter, type and terms. */
  private refine(select: ReadableQuery, userId: string, query: SearchQuery): ReadableQuery {
    if (query.filter === 'mine') {
      select = select.where('d.owner_id', '=', userId)
    } else if (query.filter === 'shared') {
      select = select.where('d.owner_id', '<>', userId)
    }
    if (query.docType !== null) {
      const docType = query.docType
      // The indexed meta.docType wins; a document not indexed yet keeps the type it was created as.
      select = select.where((eb) =>
        eb.or([
          eb(
            'd.id',
            'in',
            eb.selectFrom('document_search').select('document_id').where('doc_type', '=', docType),
          ),
          eb.and([
            eb('d.doc_type', '=', docType),
            eb(
              'd.id',
              'not in',
              eb
                .selectFrom('document_search')
                .select('document_id')
                .where('doc_type', 'is not', null),
            ),
          ]),
        ]),
      )
    }
    for (const term of query.terms) {
      select = select.where((eb) =>
        eb.or([
          eb('d.title', this.dialect === 'postgres' ? 'ilike' : 'like', likeContains(term)),
          eb(
            'd.id',
            'in',
            eb.selectFrom('document_search').select('document_id').where(this.matches(term)),
          ),
        ]),
      )
    }
    return select.orderBy('d.updated_at', 'desc').limit(query.limit)
  }

  /** @returns the indexed body of those documents that match `term` (for excerpts). */
  async bodies(ids: readonly string[], term: string): Promise<Map<string, string>> {
    if (ids.length === 0) {
      return new Map()
    }
    const rows = await this.db
      .selectFrom('document_search')
      .select(['document_id', 'body'])
      .where(this.matches(term))
      .where('document_id', 'in', [...ids])
      .execute()
    return new Map(rows.map((r) => [r.document_id, r.body]))
  }

  /** The predicate on `document_search` rows that contain `term`. */
  private matches(term: string): Expression<SqlBool> {
    if (this.dialect === 'postgres') {
      // The same expression as the GIN index, so the planner can use it.
      return sql<SqlBool>`(title || ' ' || body || ' ' || extra) ilike ${likeContains(term)}`
    }
    if ([...term].length >= TRIGRAM) {
      return sql<SqlBool>`document_search match ${ftsPhrase(term)}`
    }
    const pattern = likeContains(term)
    return sql<SqlBool>`(title like ${pattern} or body like ${pattern} or extra like ${pattern})`
  }

  private async docTypes(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) {
      return new Map()
    }
    const rows = await this.db
      .selectFrom('document_search')
      .select(['document_id', 'doc_type'])
      .where('document_id', 'in', [...ids])
      .execute()
    const map = new Map<string, string>()
    for (const row of rows) {
      if (row.doc_type !== null) {
        map.set(row.document_id, row.doc_type)
      }
    }
    return map
  }
}
