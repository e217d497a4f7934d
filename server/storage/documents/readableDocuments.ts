/**
 * The one document-ACL query: the documents a user may open, with their role on each. A personal
 * role (document_members) always wins; otherwise the highest role granted to a unit that reaches
 * the user (UnitAccessStore). The document list and full-text search both refine this query.
 */
import type { Kysely, Selectable } from 'kysely'
import type { Database, DocumentsTable } from '../schema'
import type { MemberRole } from '../../../shared/domain/roles'
import type { UnitAccessStore } from './UnitAccessStore'

/** A document row. */
export type DocumentRow = Selectable<DocumentsTable>

/** A document with the caller's role and its owner's name. */
export interface DocumentWithRole extends Pick<
  DocumentRow,
  'id' | 'title' | 'owner_id' | 'created_at' | 'updated_at' | 'doc_type'
> {
  readonly archived_at?: number | null
  readonly role: MemberRole
  readonly owner_name: string
}

/** The documents `userId` is a member of, personally or through one of `units`. */
function readableQuery(db: Kysely<Database>, userId: string, units: readonly string[]) {
  return (
    db
      .selectFrom('documents as d')
      .innerJoin('users as o', 'o.id', 'd.owner_id')
      .leftJoin('document_members as m', (join) =>
        join.onRef('m.document_id', '=', 'd.id').on('m.user_id', '=', userId),
      )
      .select([
        'd.id',
        'd.title',
        'd.owner_id',
        'd.created_at',
        'd.updated_at',
        'd.doc_type',
        'd.archived_at',
        'd.deleted_at',
        'm.role',
        'o.display_name as owner_name',
      ])
      // A document in the 回收站 is gone for everyone until restored.
      .where('d.deleted_at', 'is', null)
      .where((eb) =>
        units.length === 0
          ? eb('m.user_id', '=', userId)
          : eb.or([
              eb('m.user_id', '=', userId),
              eb(
                'd.id',
                'in',
                eb
                  .selectFrom('document_unit_members')
                  .select('document_id')
                  .where('unit_id', 'in', [...units]),
              ),
            ]),
      )
  )
}

/** The ACL query, for callers to add their filters, order and limit. */
export type ReadableQuery = ReturnType<typeof readableQuery>

/**
 * @returns the documents `userId` may open, each with the user's effective role.
 * @param refine adds filters, order and limit to the ACL query (never widens it)
 */
export async function readableDocuments(
  db: Kysely<Database>,
  unitAccess: UnitAccessStore,
  userId: string,
  refine: (query: ReadableQuery) => ReadableQuery,
): Promise<DocumentWithRole[]> {
  const units = await unitAccess.reachingUnits(userId)
  const rows = await refine(readableQuery(db, userId, units)).execute()
  const unitRoles = await unitAccess.unitRoles(
    userId,
    rows.filter((r) => r.role === null).map((r) => r.id),
  )
  return rows.flatMap((r) => {
    const role = r.role === null ? unitRoles.get(r.id) : (r.role as MemberRole)
    return role === undefined ? [] : [{ ...r, role }]
  })
}
