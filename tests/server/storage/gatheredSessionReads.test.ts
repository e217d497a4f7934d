/**
 * Session checks gathered on PostgreSQL (server/storage/users/GatheredSessionReads.ts), against a
 * real database set up through a real relay: a burst of reads goes out as few queries, every
 * caller gets its own session (or null), a session ended before a read is never served to it, and
 * a failed query reaches the reads it carried.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import type { Database } from '../../../server/storage/schema'
import { GatheredSessionReads } from '../../../server/storage/users/GatheredSessionReads'
import { hashSecret } from '../../../server/auth/secrets'

let database: TestDatabase
let relay: TestRelay
const people: { userId: string; token: string; api: ApiClient }[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  relay = await startTestRelay({ databaseUrl: database.url })
  const admin = await adminClient(relay)
  for (let i = 0; i < 12; i++) {
    people.push(await admin.createUser(`gathered${i}`, `聚合${i}`))
  }
}, 60_000)

afterAll(async () => {
  await relay.close()
  await database.drop()
})

/** A Kysely of its own on the test database, counting the queries it sends. */
function counted(): { db: Kysely<Database>; queries: () => number } {
  const pool = new pg.Pool({ connectionString: database.url, max: 4 })
  let queries = 0
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: () => {
      queries += 1
    },
  })
  return { db, queries: () => queries }
}

/** Runs `work` with a counted Kysely (counted()), destroyed after it. */
async function withCounted(
  work: (counted: { db: Kysely<Database>; queries: () => number }) => Promise<void>,
): Promise<void> {
  const made = counted()
  try {
    await work(made)
  } finally {
    await made.db.destroy()
  }
}

describe('session checks gathered on PostgreSQL', () => {
  test('200 reads asked at once go out as one query, and each gets its own session or null', async () => {
    await withCounted(async ({ db, queries }) => {
      const reads = new GatheredSessionReads(db)
      const asked = Array.from({ length: 200 }, (_, i) =>
        i % 25 === 24 ? `unknown-${i}` : people[i % people.length]!.token,
      )
      const sessions = await Promise.all(asked.map((token) => reads.read(hashSecret(token))))
      expect(queries()).toBe(1)
      sessions.forEach((session, i) => {
        if (i % 25 === 24) {
          expect(session).toBeNull()
        } else {
          expect(session?.user.id).toBe(people[i % people.length]!.userId)
          expect(session?.last_seen_at).toBeGreaterThan(0)
        }
      })
    })
  })

  test('reads asked while two queries are under way wait, then go out together', async () => {
    await withCounted(async ({ db, queries }) => {
      const reads = new GatheredSessionReads(db, 2)
      const waves: Promise<unknown>[] = []
      for (let wave = 0; wave < 6; wave++) {
        waves.push(...people.map((person) => reads.read(hashSecret(person.token))))
        // A turn of the event loop between waves: each would be a query of its own if sent at once.
        await new Promise((resolve) => setImmediate(resolve))
      }
      await Promise.all(waves)
      expect(queries()).toBeGreaterThanOrEqual(2)
      expect(queries()).toBeLessThan(6)
    })
  })

  test('a session ended before the read is not served to it', async () => {
    await withCounted(async ({ db }) => {
      const reads = new GatheredSessionReads(db)
      const leaving = people[people.length - 1]!
      expect((await reads.read(hashSecret(leaving.token)))?.user.id).toBe(leaving.userId)
      expect((await leaving.api.request('POST', '/auth/logout')).status).toBeLessThan(300)
      const [after, other] = await Promise.all([
        reads.read(hashSecret(leaving.token)),
        reads.read(hashSecret(people[0]!.token)),
      ])
      expect(after).toBeNull()
      expect(other?.user.id).toBe(people[0]!.userId)
    })
  })

  test('a query that fails rejects every read it carried, and the next reads are sent anew', async () => {
    await withCounted(async ({ db }) => {
      const reads = new GatheredSessionReads(db)
      // The table renamed away for the failing query, put back for the next.
      const admin = new pg.Client({ connectionString: database.url })
      await admin.connect()
      try {
        await admin.query('ALTER TABLE sessions RENAME TO sessions_away')
        const failed = await Promise.allSettled(
          people.slice(0, 5).map((person) => reads.read(hashSecret(person.token))),
        )
        expect(failed.every((result) => result.status === 'rejected')).toBe(true)
      } finally {
        await admin.query('ALTER TABLE sessions_away RENAME TO sessions')
        await admin.end()
      }
      expect((await reads.read(hashSecret(people[0]!.token)))?.user.id).toBe(people[0]!.userId)
    })
  })
})
