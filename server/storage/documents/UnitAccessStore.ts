/**
 * Document roles granted to units (按单位授权). A unit granted a role on a document gives that role
 * to every active account holding a post in the unit or anywhere below it. A personal role always
 * wins over unit roles; of several unit roles that reach one account, the highest applies.
 *
 * The units whose grants reach an account are the ancestors-or-self of the units of its posts (read
 * from the materialised `units.path`), so every lookup is an `IN` over a handful of ids.
 */
import type { Kysely, Migration } from 'kysely'
import type { Database } from '../schema'
import type { MemberRole } from '../../../shared/domain/roles'
import { pathIds } from '../../../shared/domain/org'

/** A role a unit may hold on a document (owner is never granted to a unit). */
export type UnitGrantRole = Exclude<MemberRole, 'owner'>

/** A unit's role on a document, with the unit's name and path for display. */
export interface UnitMemberRow {
  readonly unit_id: string
  readonly unit_name: string
  /** Materialised path `/root/…/unit/`. */
  readonly unit_path: string
  readonly role: UnitGrantRole
}

const RANK: Readonly<Record<MemberRole, number>> = { reader: 1, commenter: 2, editor: 3, owner: 4 }

/** @returns the role that gives more rights (reader < commenter < editor < owner). */
export function higherRole(a: MemberRole, b: MemberRole): MemberRole {
  return RANK[a] >= RANK[b] ? a : b
}

function isGrantRole(value: string): value is UnitGrantRole {
  return value === 'editor' || value === 'commenter' || value === 'reader'
}

/** 007_unit_members: the `document_unit_members` table. */
export function unitMembersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_unit_members')
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
        // No foreign key to units: a deleted unit's grants are simply never matched again.
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_unit_members_pk', ['document_id', 'unit_id'])
        .execute()
      await db.schema
        .createIndex('document_unit_members_unit')
        .on('document_unit_members')
        .columns(['unit_id', 'document_id'])
        .execute()
    },
  }
}

/** Unit grants on Kysely (both dialects). */
export class UnitAccessStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * @returns the ids of the units whose grants reach `userId`: each unit the account holds a post
   *   in (or its primary unit) and all their ancestors; empty for an inactive or unknown account.
   */
  async reachingUnits(userId: string): Promise<string[]> {
    const user = await this.db
      .selectFrom('users')
      .select(['active', 'unit_id'])
      .where('id', '=', userId)
      .executeTakeFirst()
    if (user === undefined || user.active !== 1) {
      return []
    }
    const rows = await this.db
      .selectFrom('units')
      .select('path')
      .where((eb) =>
        eb.or([
          eb('id', 'in', eb.selectFrom('posts').select('unit_id').where('user_id', '=', userId)),
          eb('id', '=', user.unit_id ?? ''),
        ]),
      )
      .execute()
    return [...new Set(rows.flatMap((row) => pathIds(row.path)))]
  }

  /** @returns the highest unit role `userId` holds on each of the documents (all when omitted). */
  async unitRoles(
    userId: string,
    documentIds?: readonly string[],
  ): Promise<Map<string, UnitGrantRole>> {
    const roles = new Map<string, UnitGrantRole>()
    if (documentIds !== undefined && documentIds.length === 0) {
      return roles
    }
    const units = await this.reachingUnits(userId)
    if (units.length === 0) {
      return roles
    }
    let query = this.db
      .selectFrom('document_unit_members')
      .select(['document_id', 'role'])
      .where('unit_id', 'in', units)
    if (documentIds !== undefined) {
      query = query.where('document_id', 'in', [...documentIds])
    }
    for (const row of await query.execute()) {
      const current = roles.get(row.document_id)
      if (!isGrantRole(row.role)) {
        continue
      }
      const next = current === undefined ? row.role : higherRole(current, row.role)
      if (isGrantRole(next)) {
        roles.set(row.document_id, next)
      }
    }
    return roles
  }

  /** @returns the unit grants of a document, by unit path (parents first). */
  async list(documentId: string): Promise<UnitMemberRow[]> {
    const rows = await this.db
      .selectFrom('document_unit_members as g')
      .innerJoin('units as u', 'u.id', 'g.unit_id')
      .select(['g.unit_id', 'u.name as unit_name', 'u.path as unit_path', 'g.role'])
      .where('g.document_id', '=', documentId)
      .orderBy('u.path')
      .execute()
    return rows.flatMap((row) => (isGrantRole(row.role) ? [{ ...row, role: row.role }] : []))
  }

  /** Grants or changes a unit's role on a document. */
  async set(documentId: string, unitId: string, role: UnitGrantRole, now: number): Promise<void> {
    await this.db
      .insertInto('document_unit_members')
      .values({ document_id: documentId, unit_id: unitId, role, created_at: now })
      .onConflict((oc) => oc.columns(['document_id', 'unit_id']).doUpdateSet({ role }))
      .execute()
  }

  /** Removes a unit's role. @returns whether there was one. */
  async remove(documentId: string, unitId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('document_unit_members')
      .where('document_id', '=', documentId)
      .where('unit_id', '=', unitId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}
