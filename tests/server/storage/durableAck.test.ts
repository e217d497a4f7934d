import { afterAll, describe, expect, test } from 'vitest'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import * as Y from 'yjs'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { Barriers } from '../../utils/barrier'
import { DEFAULT_GROUP_COMMIT } from '../../../server/storage/roomlog/GroupCommit'

const databases: TestDatabase[] = []
const relays: TestRelay[] = []
const clients: Client[] = []

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  await Promise.all(relays.map((r) => r.close().catch(() => {})))
  await Promise.all(databases.map((d) => d.drop()))
})

/** Direct access to the relay's store, from outside the relay (as after a crash). */
interface Store {
  /** The text of a room as its snapshot and log hold it. */
  storedText(room: string): Promise<string>
  /** Runs a statement (to break and mend the store). */
  run(statement: string): Promise<void>
  close(): Promise<void>
}

function textOf(snapshot: Uint8Array | undefined, updates: Uint8Array[]): string {
  const doc = new Y.Doc()
  if (snapshot !== undefined) {
    Y.applyUpdate(doc, snapshot)
  }
  updates.forEach((update) => Y.applyUpdate(doc, update))
  return doc.getText('text').toString()
}

async function openStore(relay: TestRelay, databaseUrl: string | null): Promise<Store> {
  if (databaseUrl !== null) {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    return {
      async storedText(room) {
        const snapshot = await client.query<{ data: Uint8Array }>(
          'SELECT data FROM room_snapshots WHERE room = $1',
          [room],
        )
        const updates = await client.query<{ data: Uint8Array }>(
          'SELECT data FROM room_updates WHERE room = $1 ORDER BY id',
          [room],
        )
        return textOf(
          snapshot.rows[0]?.data,
          updates.rows.map((r) => r.data),
        )
      },
      run: async (statement) => {
        await client.query(statement)
      },
      close: () => client.end(),
    }
  }
  const db = new BetterSqlite3(path.join(relay.dataDir, 'qilu.sqlite'))
  db.pragma('busy_timeout = 5000')
  return {
    async storedText(room) {
      const snapshot = db
        .prepare<[string], { data: Uint8Array }>('SELECT data FROM room_snapshots WHERE room = ?')
        .get(room)
      const updates = db
        .prepare<[string], { data: Uint8Array }>(
          'SELECT data FROM room_updates WHERE room = ? ORDER BY id',
        )
        .all(room)
      return textOf(
        snapshot?.data,
        updates.map((r) => r.data),
      )
    },
    run: async (statement) => {
      db.exec(statement)
    },
    close: async () => {
      db.close()
    },
  }
}

const dialects = [
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
]

describe.each(dialects)('on $name', ({ postgres }) => {
  async function setup(giveUpMs = DEFAULT_GROUP_COMMIT.giveUpMs) {
    const database = postgres ? await createTestDatabase() : null
    if (database !== null) {
      databases.push(database)
    }
    const relay = await startTestRelay({
      databaseUrl: database?.url ?? null,
      // The room stays loaded through an outage of the store.
      unloadDelayMs: 60_000,
      persistence: { commit: { ...DEFAULT_GROUP_COMMIT, giveUpMs } },
    })
    relays.push(relay)
    const admin = await adminClient(relay)
    const writer = await admin.createUser('writer', '写手')
    const reader = await admin.createUser('reader', '读者')
    const id = await writer.api.createDocument('保存')
    await writer.api.share(id, reader.userId, 'reader')
    const room = `doc:${id}`
    const typist = connect(relay.wsUrl, room, writer.token)
    const receiver = connect(relay.wsUrl, room, reader.token)
    clients.push(typist, receiver)
    await Promise.all([synced(typist), synced(receiver)])
    const store = await openStore(relay, database?.url ?? null)
    return { relay, room, typist, receiver, barriers: new Barriers(typist), store }
  }

  test('a save barrier is answered only once the change is in the database', async () => {
    const { room, typist, barriers, store } = await setup()
    const text = typist.doc.getText('text')
    for (let i = 0; i < 30; i++) {
      const answered = new Promise<void>((resolve) => barriers.onAnswer(() => resolve()))
      text.insert(text.length, `${i},`)
      barriers.send(i)
      await answered
      // Read at once, from outside the relay: the answer promised it is there.
      expect(await store.storedText(room)).toContain(`,${i},`.slice(i === 0 ? 1 : 0))
    }
    await store.close()
  })

  test('while the database refuses writes, the barrier waits; it is answered once writes work again', async () => {
    const { room, typist, receiver, barriers, store } = await setup()
    const text = typist.doc.getText('text')
    text.insert(0, 'before,')
    barriers.send(0)
    await waitFor(() => barriers.answers === 1, 'first answer')

    await store.run('ALTER TABLE room_updates RENAME TO room_updates_away')
    text.insert(text.length, 'during,')
    barriers.send(1)
    // Colleagues still see the change at once; only "saved" waits for the disk.
    await waitFor(() => receiver.doc.getText('text').toString().includes('during'), 'fan-out')
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(barriers.answers).toBe(1)

    await store.run('ALTER TABLE room_updates_away RENAME TO room_updates')
    await waitFor(() => barriers.answers === 2, 'answer after the store is back', 5000)
    expect(await store.storedText(room)).toContain('during,')
    expect(typist.closeCodes).toEqual([])
    await store.close()
  })

  test('when the database keeps failing, the relay closes with 1013 instead of answering; the change is saved after reconnecting', async () => {
    const { room, typist, barriers, store } = await setup(1000)
    const text = typist.doc.getText('text')
    await store.run('ALTER TABLE room_updates RENAME TO room_updates_away')
    text.insert(0, 'unsaved,')
    barriers.send(0)
    await waitFor(() => typist.closeCodes.includes(1013), 'close 1013', 5000)
    expect(barriers.answers).toBe(0)

    await store.run('ALTER TABLE room_updates_away RENAME TO room_updates')
    // The stock provider reconnects by itself; a barrier on the new socket is answered once saved.
    await waitFor(() => typist.provider.synced, 'reconnected', 5000)
    barriers.send(1)
    await waitFor(() => barriers.answers === 1, 'answer after reconnecting', 5000)
    expect(await store.storedText(room)).toContain('unsaved,')
    await store.close()
  })
})
