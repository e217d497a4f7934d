/** Sessions of accounts in the relational store, by the SHA-256 of their tokens. */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'
import { compiledQueriesOf } from '../compiledQueries'
import type { UserRow } from './UserStore'

/** A session's last use and its account, read together. */
export interface SessionWithUser {
  readonly last_seen_at: number
  readonly user: UserRow
}

/** Session checks read elsewhere (GatheredSessionReads: many to a PostgreSQL query). */
export interface SessionReads {
  read(tokenHash: string): Promise<SessionWithUser | null>
}

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
  /**
   * @param gathered the session checks of the storage's own connection on PostgreSQL, read many
   *   to a query (GatheredSessionReads); absent: one query each (SQLite, transactions)
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly gathered?: SessionReads,
  ) {}

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

  /**
   * @returns the session of `tokenHash` with its account (one query, compiled once: every
   *   authenticated request runs it, and building and compiling it cost more than running it), or
   *   null when there is none
   */
  async withUser(tokenHash: string): Promise<SessionWithUser | null> {
    if (this.gathered !== undefined) {
      return this.gathered.read(tokenHash)
    }
    // Two scalar subqueries, not a join: SQLite runs this form in a fifth of the join's time (6
    // against 30 µs, the join sets up more than it reads for one row of each table).
    const rows = await compiledQueriesOf(this.db).run(
      this.db,
      'sessions.withUser',
      [tokenHash, tokenHash],
      () =>
        this.db
          .selectFrom('users')
          .selectAll('users')
          .select((eb) =>
            eb
              .selectFrom('sessions')
              .select('sessions.last_seen_at')
              .where('sessions.token_hash', '=', tokenHash)
              .as('session_last_seen_at'),
          )
          .where('users.id', '=', (eb) =>
            eb
              .selectFrom('sessions')
              .select('sessions.user_id')
              .where('sessions.token_hash', '=', tokenHash),
          ),
    )
    const row = rows[0]
    if (row === undefined) {
      return null
    }
    const { session_last_seen_at: lastSeen, ...user } = row
    return { last_seen_at: Number(lastSeen), user }
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
