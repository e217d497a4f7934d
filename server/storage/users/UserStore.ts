/** Accounts in the relational store (the users aggregate; sessions are SessionStore's). */
import { sql } from 'kysely'
import type { Kysely, Selectable } from 'kysely'
import type { Database, UsersTable } from '../schema'
import { likeContains } from '../like'

/** A user row. */
export type UserRow = Selectable<UsersTable>

/** Accounts on Kysely (both dialects); bound to a transaction inside a unit of work. */
export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: UserRow): Promise<void> {
    await this.db.insertInto('users').values(row).execute()
  }

  async byId(id: string): Promise<UserRow | null> {
    return (
      (await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  /** The account of a username, in any case (usernames are unique without regard to case). */
  async byUsername(username: string): Promise<UserRow | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      // Served by the unique index on lower(username) (011_auth_limits).
      .where(sql<string>`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst()
    return row ?? null
  }

  async update(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute()
  }

  /**
   * Records a username's lock for the admin view (`lockedUntil`); the lock itself is the limiter's.
   * The same statement runs whether or not the username exists, so timing tells nothing.
   */
  async markLocked(username: string, lockedUntil: number | null, failures: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ locked_until: lockedUntil, failed_logins: failures })
      .where(sql<string>`lower(username)`, '=', username.toLowerCase())
      .execute()
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Active accounts whose username or name contains `query` (taken literally), by username. */
  async search(query: string, limit: number): Promise<UserRow[]> {
    const pattern = likeContains(query)
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('username', 'like', pattern), eb('display_name', 'like', pattern)]))
      .orderBy('username')
      .limit(limit)
      .execute()
  }
}
