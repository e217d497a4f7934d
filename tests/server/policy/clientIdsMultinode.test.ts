/**
 * Yjs client id bindings are shared by every relay node: they live in the database. A member who
 * wrote with a client id on one node keeps it on another; nobody else may write with it anywhere.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { craftUpdate, lastId, updateMessage } from '../../utils/craft'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let database: TestDatabase
let nodeA: TestRelay
let nodeB: TestRelay
const clients: Client[] = []

function bodyText(doc: Y.Doc): string {
  return doc.getXmlFragment('body').toString()
}

function addParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  const body = doc.getXmlFragment('body')
  body.insert(body.length, [paragraph])
}

beforeAll(async () => {
  database = await createTestDatabase()
  const redisPrefix = `qilu-test-ids-${process.pid}-${Date.now()}`
  nodeA = await startTestRelay({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix })
  nodeB = await startTestRelay({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix })
})

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  await nodeA?.close()
  await nodeB?.close()
  await database?.drop()
})

describe('client id bindings across relay nodes', () => {
  test("user B cannot write with user A's client id through the other node; A keeps it there", async () => {
    const admin = await adminClient(nodeA)
    const alice = await admin.createUser('node_alice', '甲')
    const bob = await admin.createUser('node_bob', '乙')
    const id = await alice.api.createDocument('跨节点的客户端标识')
    await alice.api.share(id, bob.userId, 'editor')

    const a = connect(nodeA.wsUrl, `doc:${id}`, alice.token)
    const watcher = connect(nodeA.wsUrl, `doc:${id}`, bob.token)
    clients.push(a, watcher)
    await Promise.all([synced(a), synced(watcher)])
    addParagraph(a.doc, '甲在一号节点写的第一段')
    await waitFor(() => bodyText(watcher.doc).includes('第一段'), 'first paragraph')

    // Bob, on node B, writes a paragraph of his own under Alice's client id.
    const victim = a.doc.clientID
    const socket = await rawSocket(`${nodeB.wsUrl}/doc:${id}?token=${bob.token}`)
    const code = closed(socket)
    const forged = craftUpdate([
      {
        client: victim,
        clock: Y.getState(a.doc.store, victim),
        structs: [
          { origin: lastId(a.doc, victim), content: new Y.ContentString('（乙冒名写入）') },
        ],
      },
    ])
    socket.send(updateMessage(forged))
    expect(await code).toBe(CloseEvents.updateRefused.code)

    // Alice's device reconnects to node B with the same document (and client id) and goes on.
    a.provider.destroy()
    const again = connect(nodeB.wsUrl, `doc:${id}`, alice.token, a.doc)
    clients.push(again)
    await synced(again)
    addParagraph(again.doc, '甲换到二号节点继续写')
    await waitFor(() => bodyText(watcher.doc).includes('继续写'), 'alice on node B')
    expect(again.doc.clientID).toBe(victim)
    expect(again.closeCodes).toEqual([])

    const fresh = connect(nodeA.wsUrl, `doc:${id}`, alice.token)
    clients.push(fresh)
    await synced(fresh)
    expect(bodyText(fresh.doc)).toContain('继续写')
    expect(bodyText(fresh.doc)).not.toContain('冒名')
    expect(bodyText(watcher.doc)).not.toContain('冒名')
    const { rows } = await nodeA.audit.search({ action: 'document.update_refused' }, 50, 0)
    const reasons = rows
      .filter((row) => row.target === id)
      .map((row) => (JSON.parse(row.detail) as { reason: string }).reason)
    expect(reasons).toEqual(['client_id_taken'])
  })
})
