import { afterAll, beforeAll, expect, test } from 'vitest'
import pg from 'pg'
import { PG_ADMIN_URL, adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import type { Logger } from '../../../server/logger'

// PostgreSQL may end the relay's idle connections at any time (a restart, an administrator's
// pg_terminate_backend, idle_session_timeout). The relay must stay up and connect anew.

let database: TestDatabase
let relay: TestRelay
const warnings: string[] = []
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => warnings.push(message),
  error: () => undefined,
}

beforeAll(async () => {
  database = await createTestDatabase()
  relay = await startTestRelay({ databaseUrl: database.url, logger })
})

afterAll(async () => {
  await relay.close()
  await database.drop()
})

/** Ends every connection to the test database but this one. @returns how many were ended. */
async function terminateIdleConnections(): Promise<number> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  try {
    const name = new URL(database.url).pathname.slice(1)
    const result = await client.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    )
    return result.rows.filter((row) => row.ended).length
  } finally {
    await client.end()
  }
}

test('the relay outlives PostgreSQL ending its idle connections, and the next requests connect anew', async () => {
  const admin = await adminClient(relay)
  const drafter = await admin.createUser('drafter', '起草人')
  await drafter.api.createDocument('断线前的文稿')

  expect(await terminateIdleConnections()).toBeGreaterThan(0)
  // The pool hears each ended connection as an 'error' on an idle client.
  const deadline = Date.now() + 5000
  while (warnings.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  expect(warnings[0]).toMatch(/PostgreSQL closed an idle connection/)

  await drafter.api.createDocument('断线后的文稿')
  const { status, body } = await drafter.api.request<{ documents: { title: string }[] }>(
    'GET',
    '/documents',
  )
  expect(status).toBe(200)
  expect(body.documents.map((d) => d.title).sort()).toEqual(['断线前的文稿', '断线后的文稿'].sort())
})
