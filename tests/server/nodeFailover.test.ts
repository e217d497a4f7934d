/**
 * A client whose node dies reconnects to another (issue 23). Three built relays on one PostgreSQL
 * test database and a Redis of this file's own, each told every node (`QILU_NODES`, as
 * `npm run cluster` does); the renderer's own RelayProvider (what CollabSession opens) holds the
 * other nodes' URLs, as it gets them from the relay's /health answer.
 */
import WebSocket from 'ws'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { RelayProvider } from '../../renderer/src/collab/RelayProvider'
import { loadConfig } from '../../server/config'
import { adminClient, createTestDatabase } from '../utils/relay'
import type { TestDatabase } from '../utils/relay'
import { freePort } from '../utils/process'
import type { RelayProcess } from '../utils/process'
import { connect, synced, text, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import { nodeEnv, startNode, startOwnRedis, storedText } from '../utils/nodes'
import type { OwnRedis } from '../utils/nodes'

interface Node {
  readonly relay: RelayProcess
  readonly origin: string
  readonly wsUrl: string
}

const nodes: Node[] = []
const clients: Client[] = []
const providers: RelayProvider[] = []
let database: TestDatabase
let redis: OwnRedis

beforeAll(async () => {
  database = await createTestDatabase()
  redis = await startOwnRedis(await freePort())
  const ports = [await freePort(), await freePort(), await freePort()]
  const origins = ports.map((port) => `http://127.0.0.1:${port}`)
  for (const [i, port] of ports.entries()) {
    const env = {
      ...nodeEnv(database.url, redis.url, 'qilu-failover'),
      QILU_NODES: origins.join(','),
    }
    // One after the other: the first migrates the database and creates the admin.
    const relay = await startNode(env, port)
    nodes.push({ relay, origin: origins[i] ?? '', wsUrl: `ws://127.0.0.1:${port}/sync` })
  }
}, 90_000)

afterAll(async () => {
  providers.forEach((provider) => provider.destroy())
  clients.forEach((client) => client.destroy())
  nodes.forEach((node) => node.relay.child.kill('SIGKILL'))
  await Promise.all(nodes.map((node) => node.relay.exited))
  await redis.kill()
  await database.drop()
})

function node(i: number): Node {
  const found = nodes[i]
  if (found === undefined) {
    throw new Error(`no node ${i}`)
  }
  return found
}

/** @returns whether a socket with this Origin header is let through by the node at `wsUrl`. */
function opens(wsUrl: string, room: string, token: string, origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${wsUrl}/${room}?token=${token}`, { headers: { origin } })
    socket.once('open', () => {
      socket.close()
      resolve(true)
    })
    socket.once('unexpected-response', () => resolve(false))
    socket.once('error', () => resolve(false))
  })
}

describe('failing over between relay nodes', () => {
  test('QILU_NODES is a comma-separated list of origins, normalised; anything else fails at start', () => {
    expect(
      loadConfig({ QILU_NODES: ' https://OA1.example.gov.cn ,http://oa2.example:80' }).nodes,
    ).toEqual(['https://oa1.example.gov.cn', 'http://oa2.example'])
    expect(loadConfig({}).nodes).toEqual([])
    expect(() => loadConfig({ QILU_NODES: 'oa1.example.gov.cn' })).toThrow(/QILU_NODES/)
  })

  test('every node advertises the deployment’s nodes, and lets pages of the others sync', async () => {
    const [a, b, c] = [node(0), node(1), node(2)]
    for (const each of [a, b, c]) {
      const health = await fetch(`${each.origin}/api/v1/health`)
      expect(await health.json()).toEqual({ status: 'ok', nodes: [a.origin, b.origin, c.origin] })
    }
    const admin = await adminClient({ url: a.origin })
    const user = await admin.createUser('failover.origin', '来源')
    const id = await user.api.createDocument('来源检查')
    // A page served by node A opens a socket on node C; a page of another site does not.
    expect(await opens(c.wsUrl, `doc:${id}`, user.token, a.origin)).toBe(true)
    expect(await opens(c.wsUrl, `doc:${id}`, user.token, 'http://evil.example')).toBe(false)
  }, 30_000)

  test('a client whose node is killed reconnects to another, and its offline edits reach a client on a third', async () => {
    const [a, b, c] = [node(0), node(1), node(2)]
    const admin = await adminClient({ url: a.origin })
    const writer = await admin.createUser('failover.writer', '起草人')
    const reader = await admin.createUser('failover.reader', '审核人')
    const id = await writer.api.createDocument('多节点切换')
    await writer.api.share(id, reader.userId, 'editor')
    const room = `doc:${id}`

    // The renderer's provider, as CollabSession makes it: this node first, the others after it.
    const doc = new Y.Doc()
    const provider = new RelayProvider(a.wsUrl, room, doc, {
      params: { token: writer.token },
      maxBackoffTime: 5000,
      nodes: [b.wsUrl, c.wsUrl],
      hooks: {
        onFirstAnswer: (update) => Y.applyUpdate(doc, update, provider),
        onBarrierAnswer: () => {},
      },
    })
    providers.push(provider)
    provider.connect()
    const onC = connect(c.wsUrl, room, reader.token)
    clients.push(onC)
    await waitFor(() => provider.synced, 'the writer to sync on node A')
    await synced(onC)
    doc.getText('text').insert(0, '在线;')
    await waitFor(() => text(onC) === '在线;', 'the online edit to reach node C')

    // Edits made the moment the socket is gone, before any node answers again: offline edits.
    let offlineWhileClosed = false
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'disconnected' && !offlineWhileClosed) {
        offlineWhileClosed = !provider.wsconnected
        doc.getText('text').insert(doc.getText('text').length, '离线一;离线二;')
      }
    })
    a.relay.child.kill('SIGKILL')
    expect(await a.relay.exited).toBe('SIGKILL')

    await waitFor(() => provider.synced, 'the writer to sync again on another node', 15_000)
    expect(offlineWhileClosed).toBe(true)
    expect(provider.serverUrl).toBe(b.wsUrl)
    await waitFor(
      () => text(onC) === '在线;离线一;离线二;',
      'the offline edits to reach the client on node C',
      10_000,
    )
    // And they are stored, not only relayed.
    const deadline = Date.now() + 10_000
    while ((await storedText(database.url, room)) !== text(onC) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(await storedText(database.url, room)).toBe('在线;离线一;离线二;')
  }, 60_000)
})
