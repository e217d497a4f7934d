import { afterAll, describe, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import { applyInTurns } from '../../../server/storage/roomlog/applyInTurns'
import { createTestDatabase } from '../../utils/relay'
import type { TestDatabase } from '../../utils/relay'

const folders: string[] = []
const storages: KyselyStorage[] = []
const databases: TestDatabase[] = []

afterAll(async () => {
  await Promise.all(storages.map((s) => s.close()))
  await Promise.all(databases.map((d) => d.drop()))
  folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true }))
})

/**
 * A fresh store with the relay's schema: SQLite, whose room log runs in its worker as the relay's,
 * or PostgreSQL, whose snapshots are sliced on the slicer's worker.
 */
async function freshStore(database: 'sqlite' | 'postgres' = 'sqlite'): Promise<KyselyStorage> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-sliced-'))
  folders.push(dataDir)
  let databaseUrl: string | null = null
  if (database === 'postgres') {
    const created = await createTestDatabase()
    databases.push(created)
    databaseUrl = created.url
  }
  const storage = new KyselyStorage(openDatabase({ dataDir, databaseUrl }))
  storages.push(storage)
  await storage.migrate()
  return storage
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Typed with each run: rooms stored under SLICED_UPDATE_BYTES are applied whole, not sliced. */
const FILLER = '公文审批'.repeat(20)

/**
 * Three people editing one document, their changes exchanged as they go: text typed and deleted at
 * scattered places, a map of values set, overwritten and deleted, a nested array and map.
 * @returns every person's updates in the order they were made, and one person's document
 */
function coEdited(rounds: number): { updates: Uint8Array[]; doc: Y.Doc } {
  const next = random(23)
  const docs = [1, 2, 3].map((id) => {
    const doc = new Y.Doc({ gc: false })
    doc.clientID = id
    return doc
  })
  const updates: Uint8Array[] = []
  for (const doc of docs) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'peer') {
        return
      }
      updates.push(update)
      for (const other of docs) {
        if (other !== doc) {
          Y.applyUpdate(other, update, 'peer')
        }
      }
    })
  }
  for (let round = 0; round < rounds; round++) {
    const doc = docs[round % docs.length] ?? new Y.Doc()
    const text = doc.getText('text')
    const meta = doc.getMap<unknown>('meta')
    doc.transact(() => {
      text.insert(Math.floor(next() * (text.length + 1)), `第${round}段${FILLER}`)
      if (next() < 0.3 && text.length > 10) {
        text.delete(Math.floor(next() * (text.length - 5)), 1 + Math.floor(next() * 4))
      }
      meta.set(`k${round % 40}`, round)
      if (next() < 0.1) {
        meta.delete(`k${Math.floor(next() * 40)}`)
      }
      if (round % 50 === 0) {
        const list = new Y.Array<unknown>()
        meta.set(`list${round}`, list)
        list.push([round, { nested: true }])
        const inner = new Y.Map<unknown>()
        list.push([inner])
        inner.set('who', doc.clientID)
      }
    })
  }
  return { updates, doc: docs[0] ?? new Y.Doc() }
}

function contentOf(doc: Y.Doc): unknown {
  return { text: doc.getText('text').toString(), meta: doc.getMap('meta').toJSON() }
}

/** Stores the first `inSnapshot` updates as the room's snapshot and logs the rest after it. */
async function store(
  storage: KyselyStorage,
  room: string,
  updates: readonly Uint8Array[],
  inSnapshot: number,
): Promise<void> {
  const snapshot = Y.mergeUpdates(updates.slice(0, inSnapshot))
  const last = await storage.rooms.appendUpdates(room, [snapshot], 1)
  await storage.rooms.compact(room, snapshot, last, 1)
  for (const update of updates.slice(inSnapshot)) {
    await storage.rooms.appendUpdates(room, [update], 2)
  }
}

describe('a room loaded in slices (SQLite, the room log worker)', () => {
  test('each slice applies without pending structs, and the room ends as the stored document', async () => {
    const storage = await freshStore()
    const { updates, doc } = coEdited(1500)
    await store(storage, 'doc:sliced1', updates, 1000)

    const sliced = await storage.roomLog.loadSliced('doc:sliced1')
    expect(sliced.logged).toBe(updates.length - 1000)
    expect(sliced.slices.length).toBeGreaterThan(3)
    expect(sliced.waiting).toBeNull()
    const loaded = new Y.Doc({ gc: false })
    for (const slice of sliced.slices) {
      Y.applyUpdate(loaded, slice)
      expect(loaded.store.pendingStructs).toBeNull()
      expect(loaded.store.pendingDs).toBeNull()
    }
    expect(contentOf(loaded)).toEqual(contentOf(doc))
    // Same structs, same deletions, same clocks: the identical document, not just the same text.
    expect(Y.equalSnapshots(Y.snapshot(loaded), Y.snapshot(doc))).toBe(true)
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc))
    expect(sliced.whole).not.toBeNull()
    const fromWhole = new Y.Doc({ gc: false })
    Y.applyUpdate(fromWhole, sliced.whole ?? new Uint8Array())
    expect(Y.equalSnapshots(Y.snapshot(fromWhole), Y.snapshot(doc))).toBe(true)
  })

  test('a room stored as a snapshot alone is answered with that snapshot; an empty room with nothing', async () => {
    const storage = await freshStore()
    const { updates, doc } = coEdited(600)
    await store(storage, 'doc:sliced2', updates, updates.length)
    const sliced = await storage.roomLog.loadSliced('doc:sliced2')
    expect(sliced.logged).toBe(0)
    expect(sliced.whole).toEqual(Y.mergeUpdates(updates))
    const loaded = new Y.Doc({ gc: false })
    await applyInTurns(loaded, sliced.slices, 'load', 0)
    expect(Y.equalSnapshots(Y.snapshot(loaded), Y.snapshot(doc))).toBe(true)

    expect(await storage.roomLog.loadSliced('doc:nothing')).toEqual({
      slices: [],
      waiting: null,
      whole: null,
      logged: 0,
    })
  })

  test('a logged update whose dependencies were never stored is kept, waiting, as Yjs keeps it', async () => {
    const storage = await freshStore()
    const { updates } = coEdited(300)
    // The log lacks one update: those after it that build on it cannot be integrated.
    await store(storage, 'doc:sliced3', [...updates.slice(0, 200), ...updates.slice(201)], 100)
    const sliced = await storage.roomLog.loadSliced('doc:sliced3')
    const reference = new Y.Doc({ gc: false })
    for (const update of [...updates.slice(0, 200), ...updates.slice(201)]) {
      Y.applyUpdate(reference, update)
    }
    expect(sliced.waiting).not.toBeNull()
    const loaded = new Y.Doc({ gc: false })
    sliced.slices.forEach((slice) => Y.applyUpdate(loaded, slice))
    expect(loaded.store.pendingStructs).toBeNull()
    Y.applyUpdate(loaded, sliced.waiting ?? new Uint8Array())
    expect(contentOf(loaded)).toEqual(contentOf(reference))
    // Once the missing update comes, both documents are whole and equal.
    Y.applyUpdate(loaded, updates[200] ?? new Uint8Array())
    Y.applyUpdate(reference, updates[200] ?? new Uint8Array())
    expect(loaded.store.pendingStructs).toBeNull()
    expect(contentOf(loaded)).toEqual(contentOf(reference))
  })
})

describe('a small room with a log (SQLite)', () => {
  test('comes as stored, unfolded, and is applied in one transaction to the stored document', async () => {
    const storage = await freshStore()
    const { updates, doc } = coEdited(12)
    await store(storage, 'doc:small1', updates, 4)
    const sliced = await storage.roomLog.loadSliced('doc:small1')
    expect(sliced.logged).toBe(updates.length - 4)
    // The snapshot and each logged update, not a fold of them made on the worker first.
    expect(sliced.slices).toHaveLength(1 + updates.length - 4)
    expect(sliced.whole).toBeNull()
    const loaded = new Y.Doc({ gc: false })
    const transactions: unknown[] = []
    loaded.on('afterTransaction', (transaction: Y.Transaction) => transactions.push(transaction))
    await applyInTurns(loaded, sliced.slices, 'load')
    expect(transactions).toHaveLength(1)
    expect(Y.equalSnapshots(Y.snapshot(loaded), Y.snapshot(doc))).toBe(true)
    expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc))
  })
})

describe('a room loaded in slices (PostgreSQL)', () => {
  test('the snapshot comes in slices without pending structs, the log after it; the room ends as stored', async () => {
    const storage = await freshStore('postgres')
    const { updates, doc } = coEdited(1500)
    await store(storage, 'doc:sliced4', updates, 1000)
    const sliced = await storage.roomLog.loadSliced('doc:sliced4')
    expect(sliced.logged).toBe(updates.length - 1000)
    // The log is not folded in here: the snapshot's slices, then each logged update.
    expect(sliced.slices.length).toBeGreaterThan(3 + sliced.logged)
    expect(sliced.whole).toBeNull()
    const loaded = new Y.Doc({ gc: false })
    for (const slice of sliced.slices) {
      Y.applyUpdate(loaded, slice)
      expect(loaded.store.pendingStructs).toBeNull()
    }
    expect(Y.equalSnapshots(Y.snapshot(loaded), Y.snapshot(doc))).toBe(true)

    await store(storage, 'doc:sliced5', updates, updates.length)
    const alone = await storage.roomLog.loadSliced('doc:sliced5')
    // PostgreSQL's driver gives a Buffer: the same bytes.
    expect(new Uint8Array(alone.whole ?? [])).toEqual(Y.mergeUpdates(updates))
    const fromSlices = new Y.Doc({ gc: false })
    alone.slices.forEach((slice) => Y.applyUpdate(fromSlices, slice))
    expect(Y.equalSnapshots(Y.snapshot(fromSlices), Y.snapshot(doc))).toBe(true)
  })
})
