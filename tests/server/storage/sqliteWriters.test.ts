import { afterAll, beforeAll, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import type { AuditRow } from '../../../server/storage/AuditStore'

// The relay's SQLite file has two writers: the main connection and the room log's worker thread.
// A transaction that reads before it writes must hold the write lock from its start, or the other
// writer committing in between makes its write fail at once with "database is locked".

let dataDir: string
let storage: KyselyStorage
let other: BetterSqlite3.Database

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-writers-'))
  const open = openDatabase({ dataDir, databaseUrl: null })
  storage = new KyselyStorage(open)
  await storage.migrate()
  if (open.file === null) {
    throw new Error('SQLite expected')
  }
  other = new BetterSqlite3(open.file)
  // No waiting: the test sees at once whether the lock is free.
  other.pragma('busy_timeout = 0')
})

afterAll(async () => {
  other.close()
  await storage.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function row(seq: number): AuditRow {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    actor_id: null,
    actor_name: '系统',
    action: 'test.append',
    target: null,
    detail: '{}',
    ip: null,
    prev_hash: '',
    hash: `h${seq}`,
  }
}

function otherWrites(): string | null {
  try {
    other
      .prepare('INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, ?)')
      .run('r', Buffer.from([0]), 1)
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

test('an audit append holds the write lock from its first read, so another connection writing in between cannot fail it', async () => {
  await storage.audit.append(() => [row(1)])
  let refused: string | null = null
  const appended = await storage.audit.append((last) => {
    // Between the append's read of the last row and its insert, the other writer tries to commit.
    refused = otherWrites()
    return [row((last?.seq ?? 0) + 1)]
  })
  expect(appended.map((r) => r.seq)).toEqual([2])
  expect(refused).toMatch(/locked|busy/i)
  // Once the append committed, the other writer gets in.
  expect(otherWrites()).toBeNull()
  expect((await storage.audit.page(0, 10)).map((r) => r.seq)).toEqual([1, 2])
})
