import { afterAll, describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { ApiClient, adminClient, createTestDatabase, startTestRelay } from '../utils/relay'
import type { TestDatabase } from '../utils/relay'

const ROOT = path.resolve(import.meta.dirname, '../..')
const databases: TestDatabase[] = []
const dataDirs: string[] = []

afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()))
  for (const dir of dataDirs) {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

/** Starts a relay on a store, writes a dozen audit entries, stops it. */
async function populate(options: { dataDir?: string; databaseUrl?: string }): Promise<void> {
  const relay = await startTestRelay(options)
  const admin = await adminClient(relay)
  for (let i = 0; i < 4; i++) {
    await admin.createUser(`audited${i}`, `审计${i}`)
    await new ApiClient(relay.url).request('POST', '/auth/login', { username: `audited${i}`, password: 'wrong' })
  }
  await relay.close()
}

function verify(env: Record<string, string>): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })
  return { code: result.status, output: result.stdout + result.stderr }
}

type Tamper = (run: (statement: string) => Promise<void>) => Promise<void>

const tampers: { name: string; tamper: Tamper; row: number }[] = [
  {
    name: 'altering a row',
    row: 5,
    tamper: (run) => run(`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 5`),
  },
  {
    name: 'deleting a row',
    row: 6,
    tamper: (run) => run(`DELETE FROM audit_log WHERE seq = 5`),
  },
  {
    name: 'swapping two rows',
    row: 5,
    tamper: async (run) => {
      await run(`UPDATE audit_log SET seq = -1 WHERE seq = 5`)
      await run(`UPDATE audit_log SET seq = 5 WHERE seq = 6`)
      await run(`UPDATE audit_log SET seq = 6 WHERE seq = -1`)
    },
  },
]

describe.each(tampers)('$name', ({ tamper, row }) => {
  test('makes audit:verify fail on SQLite, naming the row', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-tamper-'))
    dataDirs.push(dataDir)
    await populate({ dataDir })
    expect(verify({ QILU_DATA_DIR: dataDir }).code).toBe(0)
    const db = new BetterSqlite3(path.join(dataDir, 'qilu.sqlite'))
    await tamper(async (statement) => {
      db.exec(statement)
    })
    db.close()
    const result = verify({ QILU_DATA_DIR: dataDir })
    expect(result.code).toBe(1)
    expect(result.output).toContain(`id ${row}:`)
  })

  test('makes audit:verify fail on PostgreSQL, naming the row', async () => {
    const database = await createTestDatabase()
    databases.push(database)
    await populate({ databaseUrl: database.url })
    expect(verify({ QILU_DATABASE_URL: database.url }).code).toBe(0)
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    await tamper(async (statement) => {
      await client.query(statement)
    })
    await client.end()
    const result = verify({ QILU_DATABASE_URL: database.url })
    expect(result.code).toBe(1)
    expect(result.output).toContain(`id ${row}:`)
  })
})
