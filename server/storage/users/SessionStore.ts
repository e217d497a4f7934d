/** Sessions of accounts in the relational store, by the SHA-256 of their tokens. */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'

/** A session as the account's session list shows it. */
export interface SessionRow {
  readonly token_hash: string
  readonly created_at: number
  readonly last_seen_at: number
  readonly user_agent: string | null
  readonly ip: string | null
}

/** Where a session was opened from. */
export interface SessionClient {
  readonly userAgent: string | null
  readonly ip: string | null
}

/** Sessions on Kysely (both dialects); bound to a transaction inside a unit of work. */
export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    tokenHash: string,
    userId: string,
    now: number,
    client: SessionClient = { userAgent: null, ip: null },
  ): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash,
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        user_agent: client.userAgent,
        ip: client.ip,
      })
      .execute()
  }

  async byTokenHash(tokenHash: string): Promise<{ user_id: string; last_seen_at: number } | null> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'last_seen_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return row ?? null
  }

  async touch(tokenHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute()
  }

  /** The account's sessions, most recently used first. */
  async ofUser(userId: string): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .select(['token_hash', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
      .where('user_id', '=', userId)
      .orderBy('last_seen_at', 'desc')
      .execute()
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
  }

  /** @returns the token hashes of the sessions removed (all of the account's but `except`). */
  async deleteOfUser(userId: string, except?: string): Promise<string[]> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId)
    if (except !== undefined) {
      query = query.where('token_hash', '<>', except)
    }
    const rows = await query.returning('token_hash').execute()
    return rows.map((r) => r.token_hash)
  }
}
