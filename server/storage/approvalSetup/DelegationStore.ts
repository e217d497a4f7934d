/** Delegations (代) in the relational store. */
import type { Kysely, Selectable } from 'kysely'
import type { Database, DelegationsTable } from '../schema'

/** A delegation row. */
export type DelegationRow = Selectable<DelegationsTable>

/** Delegations on Kysely (both dialects). */
export class DelegationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: DelegationRow): Promise<void> {
    await this.db.insertInto('delegations').values(row).execute()
  }

  async byId(id: string): Promise<DelegationRow | null> {
    return (
      (await this.db
        .selectFrom('delegations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    )
  }

  /** @returns the delegations a leader gave, newest first (at most `limit`). */
  async givenBy(userId: string, limit: number): Promise<DelegationRow[]> {
    return this.db
      .selectFrom('delegations')
      .selectAll()
      .where('from_user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()
  }

  /** @returns the delegations given to a deputy, newest first (at most `limit`). */
  async givenTo(userId: string, limit: number): Promise<DelegationRow[]> {
    return this.db
      .selectFrom('delegations')
      .selectAll()
      .where('to_user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()
  }

  /** @returns the delegations to a deputy that are not revoked and end after `now`. */
  async inForceTo(userId: string, now: number): Promise<DelegationRow[]> {
    return this.db
      .selectFrom('delegations')
      .selectAll()
      .where('to_user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('valid_until', '>', now)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  }

  /** @returns the deputies of the delegations given by `leaderIds` that are in force at `now`. */
  async deputiesInForceOf(leaderIds: readonly string[], now: number): Promise<string[]> {
    if (leaderIds.length === 0) {
      return []
    }
    const rows = await this.db
      .selectFrom('delegations')
      .select('to_user_id')
      .distinct()
      .where('from_user_id', 'in', [...new Set(leaderIds)].slice(0, 1000))
      .where('revoked_at', 'is', null)
      .where('valid_until', '>', now)
      .where('created_at', '<=', now)
      .execute()
    return rows.map((row) => row.to_user_id)
  }

  /** @returns how many of a leader's delegations are not revoked and end after `now`. */
  async inForceCountFrom(userId: string, now: number): Promise<number> {
    const rows = await this.db
      .selectFrom('delegations')
      .select(['id'])
      .where('from_user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('valid_until', '>', now)
      .execute()
    return rows.length
  }

  /** Marks a delegation revoked unless it is already. @returns whether it was not revoked */
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('delegations')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
}
