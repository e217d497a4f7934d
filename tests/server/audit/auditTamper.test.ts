import { afterAll, describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { compiledEntry } from '../../utils/compiledServer'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { ApiClient, adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase } from '../../utils/relay'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const databases: TestDatabase[] = []
const dataDirs: string[] = []

afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()))
  for (const dir of dataDirs) {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

/**
 * Starts a relay on a store, writes audit entries (about 30), stops it. The relay keeps its audit
 * key and checkpoints in `dataDir`, as a deployment does.
 */
async function populate(options: { dataDir: string; databaseUrl?: string }): Promise<void> {
  const relay = await startTestRelay({ ...options, auditKey: null })
  const admin = await adminClient(relay)
  for (let i = 0; i < 12; i++) {
    await admin.createUser(`audited${i}`, `审计${i}`)
    await new ApiClient(relay.url).request('POST', '/auth/login', {
      username: `audited${i}`,
      password: 'wrong',
    })
  }
  await relay.close()
}

async function verify(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const result = spawnSync(process.execPath, [await compiledEntry('auditVerify')], {
    cwd: ROOT,
    env: { ...process.env, QILU_AUDIT_KEY: '', QILU_RELAY_KEY: '', ...env },
    encoding: 'utf8',
  })
  return { code: result.status, output: result.stdout + result.stderr }
}

/** Runs SQL on the tampered store. */
interface Sql {
  run(statement: string): Promise<void>
  rows(statement: string): Promise<Record<string, unknown>[]>
}

/** A tampering. @returns the seq audit:verify must name. */
type Tamper = (sql: Sql) => Promise<number>

/** The chain as it was before keying: SM3 over the previous hash and the entry, no secret. */
function plainHash(prevHash: string, row: Record<string, unknown>): string {
  const canonical = JSON.stringify([
    Number(row.seq),
    Number(row.at),
    row.actor_id,
    row.actor_name,
    row.action,
    row.target,
    row.detail,
    row.ip,
  ])
  return createHash('sm3').update(`${prevHash}\n${canonical}`).digest('hex')
}

/** What someone with write access to the database, but not the relay's files, can also do. */
async function eraseCheckpointRows(sql: Sql): Promise<void> {
  await sql.run('DELETE FROM audit_checkpoints').catch(() => {})
}

const tampers: { name: string; tamper: Tamper }[] = [
  {
    name: 'altering a row',
    tamper: async (sql) => {
      await sql.run(`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 5`)
      return 5
    },
  },
  {
    name: 'deleting a row',
    tamper: async (sql) => {
      await sql.run(`DELETE FROM audit_log WHERE seq = 5`)
      return 6
    },
  },
  {
    name: 'swapping two rows',
    tamper: async (sql) => {
      await sql.run(`UPDATE audit_log SET seq = -1 WHERE seq = 5`)
      await sql.run(`UPDATE audit_log SET seq = 5 WHERE seq = 6`)
      await sql.run(`UPDATE audit_log SET seq = 6 WHERE seq = -1`)
      return 5
    },
  },
  {
    name: 'deleting the last 20 rows',
    tamper: async (sql) => {
      const [max] = await sql.rows('SELECT MAX(seq) AS max FROM audit_log')
      const first = Number(max?.max) - 19
      await sql.run(`DELETE FROM audit_log WHERE seq >= ${first}`)
      await eraseCheckpointRows(sql)
      return first
    },
  },
  {
    name: 'editing a row and recomputing every later hash',
    tamper: async (sql) => {
      await sql.run(`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 7`)
      const rows = await sql.rows('SELECT * FROM audit_log WHERE seq >= 7 ORDER BY seq')
      const [before] = await sql.rows('SELECT hash FROM audit_log WHERE seq = 6')
      let prev = String(before?.hash)
      for (const row of rows) {
        const hash = plainHash(prev, row)
        await sql.run(
          `UPDATE audit_log SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${Number(row.seq)}`,
        )
        prev = hash
      }
      await eraseCheckpointRows(sql)
      return 7
    },
  },
]

describe.each(tampers)('$name', ({ tamper }) => {
  test('makes audit:verify fail on SQLite, naming the first affected row', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-tamper-'))
    dataDirs.push(dataDir)
    await populate({ dataDir })
    expect((await verify({ QILU_DATA_DIR: dataDir })).code).toBe(0)
    const db = new BetterSqlite3(path.join(dataDir, 'qilu.sqlite'))
    const row = await tamper({
      run: async (statement) => {
        db.exec(statement)
      },
      rows: async (statement) => db.prepare<[], Record<string, unknown>>(statement).all(),
    })
    db.close()
    const result = await verify({ QILU_DATA_DIR: dataDir })
    expect(result.code, result.output).toBe(1)
    expect(result.output).toContain(`first affected entry): seq ${row}\n`)
    expect(result.output).toContain(`id ${row}:`)
  })

  test('makes audit:verify fail on PostgreSQL, naming the first affected row', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-tamper-'))
    dataDirs.push(dataDir)
    const database = await createTestDatabase()
    databases.push(database)
    await populate({ dataDir, databaseUrl: database.url })
    const env = { QILU_DATA_DIR: dataDir, QILU_DATABASE_URL: database.url }
    expect((await verify(env)).code).toBe(0)
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const row = await tamper({
      run: async (statement) => {
        await client.query(statement)
      },
      rows: async (statement) => (await client.query<Record<string, unknown>>(statement)).rows,
    })
    await client.end()
    const result = await verify(env)
    expect(result.code, result.output).toBe(1)
    expect(result.output).toContain(`first affected entry): seq ${row}\n`)
    expect(result.output).toContain(`id ${row}:`)
  })
})
