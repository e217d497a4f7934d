/**
 * Authorship (留痕) is read from the Yjs transaction that applied a user's update, not by decoding
 * the update again (issue 23), and from the update for a document with many client ids: both must
 * record exactly the client ids the update wrote with and the content it deleted.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import { AuthorService, decodeDeleteSet } from '../../../server/services/AuthorService'
import { createLogger } from '../../../server/logger'

let dataDir: string
let storage: KyselyStorage

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-authors-'))
  storage = new KyselyStorage(openDatabase({ dataDir, databaseUrl: null }))
  await storage.migrate()
})

afterAll(async () => {
  await storage.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** A room's document with `writers` other clients' text in it, and what one more edit records. */
async function observed(documentId: string, writers: number): Promise<Map<string, number[]>> {
  const authors = new AuthorService(storage.versions, createLogger({ quiet: true }))
  const room = new Y.Doc({ gc: false })
  for (let i = 0; i < writers; i++) {
    const other = new Y.Doc()
    other.getText('text').insert(0, `w${i}`)
    Y.applyUpdate(room, Y.encodeStateAsUpdate(other))
  }
  // The edit under test: a new client inserts and deletes another writer's text.
  const editor = new Y.Doc()
  Y.applyUpdate(editor, Y.encodeStateAsUpdate(room))
  editor.transact(() => {
    editor.getText('text').delete(0, 2)
    editor.getText('text').insert(0, '齐鲁')
  })
  room.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
    authors.observe(documentId, 'editor', update, tr)
  })
  Y.applyUpdate(room, Y.encodeStateAsUpdate(editor, Y.encodeStateVector(room)))
  const records = await authors.authors(documentId)
  const editorRecord = records.find((record) => record.userId === 'editor')
  expect(editorRecord?.clientIds).toEqual([editor.clientID])
  const deleted = decodeDeleteSet(editorRecord?.deletions ?? new Uint8Array())
  const ranges = new Map<string, number[]>()
  for (const [client, items] of deleted.clients) {
    ranges.set(
      String(client),
      items.map((item) => item.len),
    )
  }
  return ranges
}

test('a user edit in a document with few client ids records its writer and deletions', async () => {
  const deleted = await observed('doc-few', 3)
  expect([...deleted.values()].flat().reduce((a, b) => a + b, 0)).toBe(2)
})

test('a user edit in a document with many client ids records the same, read from the update', async () => {
  const deleted = await observed('doc-many', 300)
  expect([...deleted.values()].flat().reduce((a, b) => a + b, 0)).toBe(2)
})
