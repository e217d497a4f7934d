import { afterAll, describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { compiledEntry } from '../../utils/compiledServer'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { SYSTEM_ACTOR } from '../../../server/audit/AuditService'
import { entryHash } from '../../../server/audit/chain'
import { parseCheckpointLine, verifyCheckpoint } from '../../../server/audit/checkpoint'
import { createTestDatabase, startTestRelay, TEST_AUDIT_KEY } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const databases: TestDatabase[] = []
const dataDirs: string[] = []
const relays: TestRelay[] = []

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close().catch(() => {})))
  await Promise.all(databases.map((d) => d.drop()))
  dataDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }))
})

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-checkpoints-'))
  dataDirs.push(dir)
  return dir
}

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase()
  databases.push(db)
  return db
}

async function relayOn(options: Parameters<typeof startTestRelay>[0]): Promise<TestRelay> {
  const relay = await startTestRelay(options)
  relays.push(relay)
  return relay
}

async function verify(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const result = spawnSync(process.execPath, [await compiledEntry('auditVerify'), ...args], {
    cwd: ROOT,
    env: { ...process.env, QILU_AUDIT_KEY: '', QILU_RELAY_KEY: '', ...env },
    encoding: 'utf8',
  })
  return { code: result.status, output: result.stdout + result.stderr }
}

function record(relay: TestRelay, n: number, label: string): Promise<void>[] {
  return Array.from({ length: n }, (_, i) =>
    relay.audit.record({ actor: SYSTEM_ACTOR, action: 'test.append', target: `${label}-${i}` }),
  )
}

function checkpointLines(file: string): string[] {
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : []
}

describe('two relay nodes on one PostgreSQL', () => {
  test('append to one audit chain in parallel, and it verifies', async () => {
    const db = await database()
    const a = await relayOn({ databaseUrl: db.url })
    const b = await relayOn({ databaseUrl: db.url })
    await Promise.all([...record(a, 150, 'a'), ...record(b, 150, 'b')])
    const report = await a.audit.verify()
    expect(report.problems).toEqual([])
    expect(report.checked).toBeGreaterThanOrEqual(300)
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'test.append'`,
    )
    await client.end()
    expect(Number(rows[0]?.n)).toBe(300)
  })

  test('take each checkpoint once: one node holds the lease, the other takes over when it stops', async () => {
    const db = await database()
    const timing = { intervalMs: 3_600_000, everyEntries: 1_000_000 }
    const a = await relayOn({ databaseUrl: db.url, auditCheckpoints: timing })
    const b = await relayOn({ databaseUrl: db.url, auditCheckpoints: timing })
    const fileA = path.join(a.dataDir, 'audit-checkpoints.jsonl')
    const fileB = path.join(b.dataDir, 'audit-checkpoints.jsonl')
    for (let round = 0; round < 3; round++) {
      await Promise.all(record(a, 5, `r${round}`))
      const made = await Promise.all([
        a.auditCheckpoints.checkpoint(),
        b.auditCheckpoints.checkpoint(),
        a.auditCheckpoints.checkpoint(),
        b.auditCheckpoints.checkpoint(),
      ])
      // Calls on one node share a run: count distinct checkpoints.
      expect(new Set(made.filter((c) => c !== null))).toHaveProperty('size', 1)
    }
    expect(checkpointLines(fileA).length + checkpointLines(fileB).length).toBe(3)
    // Only one of them holds the lease; when it stops, the other one checkpoints.
    const [holder, other] = checkpointLines(fileA).length === 3 ? [a, b] : [b, a]
    await holder.close()
    await Promise.all(record(other, 2, 'after'))
    expect(await other.auditCheckpoints.checkpoint()).not.toBeNull()
  })

  test('a node configured with another audit key refuses to start, naming QILU_AUDIT_KEY', async () => {
    const db = await database()
    const a = await relayOn({ databaseUrl: db.url })
    await a.close()
    await expect(
      startTestRelay({ databaseUrl: db.url, auditKey: 'b2'.repeat(32) }),
    ).rejects.toThrow(/QILU_AUDIT_KEY/)
    const again = await relayOn({ databaseUrl: db.url, auditKey: TEST_AUDIT_KEY })
    expect((await again.audit.verify()).ok).toBe(true)
  })
})

describe('the audit key file', () => {
  test('is created 0600 on first start, and a lost key file stops the next start', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir, auditKey: null })
    await relay.close()
    const keyFile = path.join(dataDir, 'audit.key')
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.join(dataDir, 'relay-sm2.key')).mode & 0o777).toBe(0o600)
    fs.rmSync(keyFile)
    await expect(startTestRelay({ dataDir, auditKey: null })).rejects.toThrow(/audit key/)
  })

  test('a relay refuses to start when the chain’s head does not verify with its key', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir })
    await Promise.all(record(relay, 3, 'x'))
    const seq = (await relay.storage.audit.head())?.seq
    await relay.close()
    const Database = (await import('better-sqlite3')).default
    const sqlite = new Database(path.join(dataDir, 'qilu.sqlite'))
    sqlite.prepare(`UPDATE audit_log SET target = 'x' WHERE seq = ?`).run(seq)
    sqlite.close()
    await expect(startTestRelay({ dataDir })).rejects.toThrow(/does not verify/)
  })
})

describe('a deleted key record', () => {
  test('stops the next start when checkpoints show the chain was keyed', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir })
    await Promise.all(record(relay, 3, 'x'))
    await relay.close()
    const Database = (await import('better-sqlite3')).default
    const sqlite = new Database(path.join(dataDir, 'qilu.sqlite'))
    sqlite.exec('DELETE FROM audit_keys; DELETE FROM audit_checkpoints')
    sqlite.close()
    // The checkpoint file outside the database still shows it.
    await expect(startTestRelay({ dataDir })).rejects.toThrow(/audit_keys/)
  })
})

describe('a chain from before keying', () => {
  test('continues keyed from its old head, and verification knows where keying began', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir })
    await Promise.all(record(relay, 5, 'old'))
    await relay.close()
    // Make the store look as an unkeyed deployment left it: plain SM3 hashes, no key record, no
    // checkpoints.
    const Database = (await import('better-sqlite3')).default
    const sqlite = new Database(path.join(dataDir, 'qilu.sqlite'))
    const rows = sqlite
      .prepare<[], Record<string, unknown> & { seq: number }>(
        'SELECT * FROM audit_log ORDER BY seq',
      )
      .all()
    let prev = '0'.repeat(64)
    const update = sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?')
    for (const row of rows) {
      const hash = entryHash(prev, {
        seq: row.seq,
        at: Number(row.at),
        actor_id: row.actor_id as string | null,
        actor_name: String(row.actor_name),
        action: String(row.action),
        target: row.target as string | null,
        detail: String(row.detail),
        ip: row.ip as string | null,
      })
      update.run(prev, hash, row.seq)
      prev = hash
    }
    sqlite.exec('DELETE FROM audit_keys; DELETE FROM audit_checkpoints')
    sqlite.close()
    fs.rmSync(path.join(dataDir, 'audit-checkpoints.jsonl'))
    const oldHead = rows.length

    const upgraded = await startTestRelay({ dataDir })
    await Promise.all(record(upgraded, 3, 'new'))
    const [key] = await upgraded.storage.audit.keys()
    expect(Number(key?.first_seq)).toBe(oldHead + 1)
    const report = await upgraded.audit.verify()
    expect(report.problems).toEqual([])
    expect(report.checked).toBe(oldHead + 3)
    await upgraded.close()
    expect((await verify({ QILU_DATA_DIR: dataDir, QILU_AUDIT_KEY: TEST_AUDIT_KEY })).code).toBe(0)
  })
})

describe('signed checkpoints', () => {
  test('are taken on their own after enough entries and verify with the published key; a one-byte change is caught', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir, auditCheckpoints: { everyEntries: 5 } })
    for (let i = 0; i < 5; i++) {
      await Promise.all(record(relay, 1, `x${i}`))
    }
    const file = path.join(dataDir, 'audit-checkpoints.jsonl')
    for (let i = 0; i < 50 && checkpointLines(file).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(checkpointLines(file)).toHaveLength(1)
    await Promise.all(record(relay, 1, 'last'))
    const published = (await (await fetch(`${relay.url}/api/v1/relay/public-key`)).json()) as {
      publicKey: string
      userId: string
    }
    expect(published.userId).toBe('1234567812345678')
    expect(published.publicKey).toBe(
      fs.readFileSync(path.join(dataDir, 'relay-sm2.pub'), 'utf8').trim(),
    )
    await relay.close()

    const lines = checkpointLines(file)
    expect(lines).toHaveLength(2) // one after 5 entries, one at shutdown
    const line = lines.at(-1) ?? ''
    const checkpoint = parseCheckpointLine(line)
    expect(checkpoint).not.toBeNull()
    if (checkpoint === null) {
      return
    }
    expect(verifyCheckpoint(checkpoint, published.publicKey)).toBe(true)
    // One byte of the head hash, then one byte of the count.
    const head = `${checkpoint.head.slice(0, 10)}${checkpoint.head[10] === '0' ? '1' : '0'}${checkpoint.head.slice(11)}`
    expect(verifyCheckpoint({ ...checkpoint, head }, published.publicKey)).toBe(false)
    expect(
      verifyCheckpoint({ ...checkpoint, count: checkpoint.count - 1 }, published.publicKey),
    ).toBe(false)

    const env = { QILU_DATA_DIR: dataDir, QILU_AUDIT_KEY: TEST_AUDIT_KEY }
    expect((await verify(env)).code).toBe(0)
    const forged = path.join(dataDir, 'forged.jsonl')
    fs.writeFileSync(forged, line.replace(checkpoint.head, head))
    const result = await verify(env, ['--checkpoints', forged])
    expect(result.code).toBe(1)
    expect(result.output).toContain(`id ${checkpoint.count}: 此计数的检查点签名无效`)
  })
})

describe('npm run audit:verify exit codes', () => {
  test('0 intact, 1 tampered, 2 without the key or with a bad argument', async () => {
    const dataDir = tempDir()
    const relay = await startTestRelay({ dataDir, auditKey: null })
    await Promise.all(record(relay, 3, 'x'))
    await relay.close()
    const env = { QILU_DATA_DIR: dataDir }
    const intact = await verify(env)
    expect(intact.code).toBe(0)
    expect(intact.output).toContain('审计日志完整')
    expect((await verify(env, ['--public-key', 'nonsense'])).code).toBe(2)
    const Database = (await import('better-sqlite3')).default
    const sqlite = new Database(path.join(dataDir, 'qilu.sqlite'))
    sqlite.exec(`UPDATE audit_log SET ip = '10.0.0.9' WHERE seq = 2`)
    sqlite.close()
    expect((await verify(env)).code).toBe(1)
    fs.rmSync(path.join(dataDir, 'audit.key'))
    const keyless = await verify(env)
    expect(keyless.code).toBe(2)
    expect(keyless.output).toContain('audit key')
  })
})
