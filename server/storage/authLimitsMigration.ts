/**
 * Migration 011_auth_limits: usernames unique without regard to case, and the table of the
 * lockout and rate limit counters (rate-limiter-flexible's SQL layout: key, points, expire).
 */
import { sql } from 'kysely'
import type { Kysely, Migration } from 'kysely'

/** The table the credential limiters keep their counters in (server/auth/AuthLimiter.ts). */
export const AUTH_LIMITS_TABLE = 'auth_limits'

/** @returns the migration 011_auth_limits, the same on SQLite and PostgreSQL. */
export function authLimitsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Usernames are ASCII (shared/http/routes/accounts.ts), where lower() is the same on both databases.
      const clashes = await sql<{ name: string }>`
        select lower(username) as name from users group by lower(username) having count(*) > 1
      `.execute(db)
      if (clashes.rows.length > 0) {
        throw new Error(
          `用户名仅大小写不同的账号必须先改名，才能升级 (usernames differing only in case must be renamed first): ${clashes.rows
            .map((r) => r.name)
            .join(', ')}`,
        )
      }
      await db.schema
        .createIndex('users_username_lower')
        .on('users')
        .unique()
        .expression(sql`lower(username)`)
        .execute()
      await db.schema
        .createTable(AUTH_LIMITS_TABLE)
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        // Milliseconds since the epoch; null never expires.
        .addColumn('expire', 'bigint')
        .execute()
      await db.schema
        .createIndex('auth_limits_expire')
        .on(AUTH_LIMITS_TABLE)
        .column('expire')
        .execute()
    },
  }
}
