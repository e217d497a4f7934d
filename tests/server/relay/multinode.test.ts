import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, text, waitFor } from '../../utils/yclient'
import { appendParagraph, bodyParagraphs } from '../../utils/body'
import type { DocumentSearchHit } from '../../../shared/api'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let database: TestDatabase
let nodeA: TestRelay
let nodeB: TestRelay
const clients: Client[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const redisPrefix = `qilu-test-${process.pid}-${Date.now()}`
  const options = {
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisPrefix,
    searchDelayMs: 200,
  }
  nodeA = await startTestRelay(options)
  nodeB = await startTestRelay(options)
})

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  await nodeA?.close()
  await nodeB?.close()
  await database?.drop()
})

/**
 * Two new editors of a new document, the first connected to node A and the second to node B, both
 * synced. @returns the admin, the two users, the document id and their clients
 */
async function editorsOnBothNodes(
  first: [username: string, name: string],
  second: [username: string, name: string],
  title: string,
) {
  const admin = await adminClient(nodeA)
  const one = await admin.createUser(...first)
  const two = await admin.createUser(...second)
  const id = await one.api.createDocument(title)
  await one.api.share(id, two.userId, 'editor')
  const a = connect(nodeA.wsUrl, `doc:${id}`, one.token)
  const b = connect(nodeB.wsUrl, `doc:${id}`, two.token)
  clients.push(a, b)
  await Promise.all([synced(a), synced(b)])
  return { admin, one, two, id, a, b }
}

describe('two relay nodes on one PostgreSQL and one Redis', () => {
  test('clients on different nodes co-edit, see each other, and lose sockets on deactivation', async () => {
    const { admin, two, a, b } = await editorsOnBothNodes(
      ['node_one', '一号'],
      ['node_two', '二号'],
      '跨节点',
    )
    a.doc.getText('text').insert(0, '济南')
    b.doc.getText('text').insert(0, '青岛')
    await waitFor(() => text(a).length === 4 && text(a) === text(b), 'cross-node convergence')

    a.provider.awareness.setLocalStateField('cursor', { at: 1 })
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 'cross-node presence')
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string } }
    expect(seen.user.name).toBe('一号')

    // Deactivated on node A, the user's socket on node B closes within a second.
    expect((await admin.request('POST', `/admin/users/${two.userId}/deactivate`)).status).toBe(200)
    await waitFor(() => b.closeCodes.includes(CloseEvents.deactivated.code), 'remote close', 1000)
  })

  test('a document edited on both nodes is found by what each node’s editor wrote', async () => {
    // Each node stores its own clients' changes; the one that stored the newest indexes the document.
    const { one, id, a, b } = await editorsOnBothNodes(
      ['search_one', '甲'],
      ['search_two', '乙'],
      '两地',
    )
    appendParagraph(a.doc, '泰山日出')
    await waitFor(() => bodyParagraphs(b.doc).includes('泰山日出'), 'node A’s paragraph on node B')
    appendParagraph(b.doc, '黄河入海')
    const found = async (): Promise<string[]> => {
      const { status, body } = await one.api.request<{ documents: DocumentSearchHit[] }>(
        'GET',
        `/documents?q=${encodeURIComponent('泰山日出 黄河入海')}`,
      )
      expect(status).toBe(200)
      return body.documents.map((hit) => hit.id)
    }
    const deadline = Date.now() + 5000
    let ids = await found()
    while (ids.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      ids = await found()
    }
    expect(ids).toEqual([id])
  })
})
