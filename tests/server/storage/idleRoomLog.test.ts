/**
 * The SQLite room log's worker stops when the log has idled and starts again on the next request
 * (server/storage/roomlog/IdleClosingRoomLog.ts, issue 23): nothing written is lost across the
 * stop, a request arriving while the worker stops is served by the next one, and a closed log
 * refuses work.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import { IdleClosingRoomLog } from '../../../server/storage/roomlog/IdleClosingRoomLog'
import { WorkerRoomLog } from '../../../server/storage/roomlog/WorkerRoomLog'
import type { StoredRoom } from '../../../server/storage/roomlog/RoomLog'

const IDLE_MS = 150
let dataDir: string
let storage: KyselyStorage
let file: string
let opened = 0

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-idle-log-'))
  const open = openDatabase({ dataDir, databaseUrl: null })
  file = open.file ?? ''
  storage = new KyselyStorage(open)
  await storage.migrate()
})

afterAll(async () => {
  await storage.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function idleLog(): IdleClosingRoomLog {
  return new IdleClosingRoomLog(
    () => {
      opened++
      return new WorkerRoomLog(file)
    },
    IDLE_MS,
    (error) => {
      throw error
    },
  )
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error('timed out')
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** @returns an editor whose each call appends `word` and returns the update. */
function editor(): (word: string) => Uint8Array {
  const doc = new Y.Doc()
  return (word) => {
    const before = Y.encodeStateVector(doc)
    doc.getText('t').insert(doc.getText('t').length, word)
    return Y.encodeStateAsUpdate(doc, before)
  }
}
function textOf(stored: StoredRoom): string {
  const copy = new Y.Doc()
  if (stored.snapshot !== null) {
    Y.applyUpdate(copy, stored.snapshot)
  }
  stored.updates.forEach((update) => Y.applyUpdate(copy, update))
  return copy.getText('t').toString()
}

test('the worker stops after the log idles, and what was written loads from the next one', async () => {
  const log = idleLog()
  const edit = editor()
  const before = opened
  expect(log.isOpen).toBe(false)
  await log.append([{ room: 'doc:idle', update: edit('公文') }], 1)
  expect(log.isOpen).toBe(true)
  await until(() => !log.isOpen)
  // Written by the first worker, read by a second one.
  expect(textOf(await log.load('doc:idle'))).toBe('公文')
  expect(opened - before).toBe(2)
  await log.close()
})

test('requests keep the worker; one arriving as it stops waits for the next worker', async () => {
  const log = idleLog()
  const edit = editor()
  const before = opened
  for (let i = 0; i < 5; i++) {
    await log.append([{ room: 'doc:busy', update: edit(String(i)) }], 2)
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 3))
  }
  expect(opened - before).toBe(1)
  await until(() => !log.isOpen)
  // The idle close has just begun: this append is served by a new worker once the old has stopped.
  await log.append([{ room: 'doc:busy', update: edit('流转') }], 3)
  expect(opened - before).toBe(2)
  expect(await log.compact('doc:busy', 4)).toBeGreaterThan(0)
  expect(textOf(await log.load('doc:busy'))).toBe('01234流转')
  await log.close()
  await expect(log.load('doc:busy')).rejects.toThrow(/closed/)
})

test('a log closed after an idle stop closes at once and refuses work', async () => {
  const log = idleLog()
  await log.ready()
  await until(() => !log.isOpen)
  await log.close()
  await expect(log.append([{ room: 'doc:x', update: editor()('x') }], 5)).rejects.toThrow(/closed/)
  expect(log.isOpen).toBe(false)
})
