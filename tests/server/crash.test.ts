import { afterAll, describe, expect, test } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import * as Y from 'yjs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiClient, ADMIN_PASSWORD } from '../utils/relay'
import { connect, synced, text, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import { freePort, spawnRelay } from '../utils/process'
import type { RelayProcess } from '../utils/process'

const processes: RelayProcess[] = []
const clients: Client[] = []
const dataDirs: string[] = []

afterAll(() => {
  clients.forEach((c) => c.destroy())
  processes.forEach((p) => p.child.kill('SIGKILL'))
  dataDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }))
})

async function start(dataDir: string, port: number): Promise<RelayProcess> {
  const relay = await spawnRelay(
    {
      QILU_DATA_DIR: dataDir,
      QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
      QILU_QUIET: '1',
      QILU_WEB_ROOT: path.join(dataDir, 'no-client'),
    },
    port,
  )
  processes.push(relay)
  return relay
}

/** @returns the text of a room as its SQLite log holds it (read by a second connection, as after a crash). */
function loggedText(dataDir: string, room: string): string {
  const db = new BetterSqlite3(path.join(dataDir, 'qilu.sqlite'), { readonly: true })
  try {
    const doc = new Y.Doc()
    const snapshot = db
      .prepare<[string], { data: Uint8Array }>('SELECT data FROM room_snapshots WHERE room = ?')
      .get(room)
    if (snapshot !== undefined) {
      Y.applyUpdate(doc, snapshot.data)
    }
    const rows = db
      .prepare<[string], { data: Uint8Array }>(
        'SELECT data FROM room_updates WHERE room = ? ORDER BY id',
      )
      .all(room)
    rows.forEach((row) => Y.applyUpdate(doc, row.data))
    return doc.getText('text').toString()
  } finally {
    db.close()
  }
}

describe('a relay process that crashes', () => {
  test('restarts with every logged update after SIGKILL, and connected clients resync the rest', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-crash-'))
    dataDirs.push(dataDir)
    const port = await freePort()
    let relay = await start(dataDir, port)
    const admin = (await new ApiClient(relay.url).login('admin', ADMIN_PASSWORD)).api
    const writer = await admin.createUser('writer', '写手')
    const id = await writer.api.createDocument('崩溃测试')
    const wsUrl = `ws://127.0.0.1:${port}/sync`

    const a = connect(wsUrl, `doc:${id}`, writer.token)
    clients.push(a)
    await synced(a)
    const typed: string[] = []
    for (let i = 0; i < 40; i++) {
      const word = `字${i} `
      typed.push(word)
      a.doc.getText('text').insert(a.doc.getText('text').length, word)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Kill it once the last keystroke has reached its log (read from outside, like a crash would).
    await waitFor(
      () => loggedText(dataDir, `doc:${id}`) === typed.join(''),
      'the log to hold every keystroke',
      10_000,
    )
    relay.child.kill('SIGKILL')
    expect(await relay.exited).toBe('SIGKILL')

    // The writer keeps typing while the relay is down; hold its provider off until we've checked the log.
    a.provider.disconnect()
    a.doc.getText('text').insert(a.doc.getText('text').length, '断线时写的')

    relay = await start(dataDir, port)
    const b = connect(wsUrl, `doc:${id}`, writer.token)
    clients.push(b)
    await synced(b)
    expect(text(b)).toBe(typed.join(''))

    a.provider.connect()
    await waitFor(() => text(b) === `${typed.join('')}断线时写的`, 'resync after restart', 10_000)

    // A clean SIGTERM flushes too: everything is there after the next start.
    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
    a.provider.disconnect()
    b.provider.disconnect()
    relay = await start(dataDir, port)
    const c = connect(wsUrl, `doc:${id}`, writer.token)
    clients.push(c)
    await synced(c)
    expect(text(c)).toBe(`${typed.join('')}断线时写的`)
    relay.child.kill('SIGTERM')
    await relay.exited
  }, 90_000)
})
