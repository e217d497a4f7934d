/**
 * Presence (awareness) attacks, with real sockets: a reader flooding members' clients with fake
 * presences, and a reader taking over a colleague's client id so that the colleague later shows
 * under the reader's name. One node, then two nodes on one Redis.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import type WebSocket from 'ws'
import { Redis } from 'ioredis'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import { connect, rawSocket, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { MESSAGE_AWARENESS } from '../../../shared/protocol/messages'
import { MAX_PRESENCES_PER_USER } from '../../../server/relay/RoomPresence'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

type User = { api: ApiClient; userId: string; token: string }
type Presence = { user?: { name?: string; id?: string } }

let single: TestRelay
let database: TestDatabase
let nodeA: TestRelay
let nodeB: TestRelay
const clients: Client[] = []
const sockets: WebSocket[] = []

beforeAll(async () => {
  single = await startTestRelay()
  database = await createTestDatabase()
  const redisPrefix = `qilu-presence-${process.pid}-${Date.now()}`
  nodeA = await startTestRelay({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix })
  nodeB = await startTestRelay({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix })
})

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  sockets.forEach((s) => s.terminate())
  await single?.close()
  await nodeA?.close()
  await nodeB?.close()
  await database?.drop()
})

/** A document with an owner (observer), an editor colleague and a reader, on `relay`'s store. */
async function cast(
  relay: TestRelay,
  tag: string,
): Promise<{ id: string; owner: User; colleague: User; reader: User }> {
  const admin = await adminClient(relay)
  const owner = await admin.createUser(`${tag}_owner`, '王芳')
  const colleague = await admin.createUser(`${tag}_colleague`, '李强')
  const reader = await admin.createUser(`${tag}_reader`, '赵敏')
  const id = await owner.api.createDocument('在线状态')
  await owner.api.share(id, colleague.userId, 'editor')
  await owner.api.share(id, reader.userId, 'reader')
  return { id, owner, colleague, reader }
}

function track(client: Client): Client {
  clients.push(client)
  return client
}

/** An awareness message publishing `entries` (client id, clock, state) at once. */
function awarenessMessage(entries: readonly [number, number, unknown][]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(inner, clientId)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

/** Others' presences a client sees. */
function others(client: Client): Map<number, Presence> {
  const states = new Map(client.provider.awareness.getStates() as Map<number, Presence>)
  states.delete(client.doc.clientID)
  return states
}

async function hostile(relay: TestRelay, room: string, token: string): Promise<WebSocket> {
  const socket = await rawSocket(`${relay.wsUrl}/${room}?token=${token}`)
  sockets.push(socket)
  return socket
}

const settle = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('presence on one node', () => {
  test("a reader's thousands of fake presences reach members as one", async () => {
    const { id, owner, reader } = await cast(single, 'flood')
    const observer = track(connect(single.wsUrl, `doc:${id}`, owner.token))
    await synced(observer)
    const socket = await hostile(single, `doc:${id}`, reader.token)
    // 2,500 presences in 50 messages over 2.5 s: each message small enough to pass the size cap.
    let nextId = 1_000_000
    for (let message = 0; message < 50; message++) {
      const entries = Array.from({ length: 50 }, (): [number, number, unknown] => [nextId++, 1, {}])
      socket.send(awarenessMessage(entries))
      await settle(50)
    }
    await settle()
    expect(others(observer).size).toBeLessThanOrEqual(1)
    // The one it shows carries the reader's own name.
    for (const state of others(observer).values()) {
      expect(state.user?.name).toBe('赵敏')
    }
  })

  test("a colleague's client id cannot be taken over after the colleague left, and the colleague shows under their own name on return", async () => {
    const { id, owner, colleague, reader } = await cast(single, 'takeover')
    const observer = track(connect(single.wsUrl, `doc:${id}`, owner.token))
    const colleagueDoc = new Y.Doc()
    const away = track(connect(single.wsUrl, `doc:${id}`, colleague.token, colleagueDoc))
    await Promise.all([synced(observer), synced(away)])
    away.provider.awareness.setLocalStateField('cursor', { at: 1 })
    const taken = colleagueDoc.clientID
    await waitFor(() => others(observer).get(taken)?.user?.name === '李强', 'the colleague')
    away.provider.disconnect()
    await waitFor(() => !others(observer).has(taken), 'the colleague to leave')

    const socket = await hostile(single, `doc:${id}`, reader.token)
    socket.send(awarenessMessage([[taken, 1000, { cursor: { at: 99 } }]]))
    await settle()
    expect(others(observer).get(taken)).toBeUndefined()

    away.provider.connect()
    await waitFor(() => others(observer).get(taken)?.user?.name === '李强', 'the colleague back')
    await settle()
    expect(others(observer).get(taken)?.user?.name).toBe('李强')
  })

  test('a connection publishes one client id only: the first', async () => {
    const { id, owner, reader } = await cast(single, 'oneid')
    const observer = track(connect(single.wsUrl, `doc:${id}`, owner.token))
    await synced(observer)
    const socket = await hostile(single, `doc:${id}`, reader.token)
    socket.send(awarenessMessage([[4242, 1, { cursor: null }]]))
    await waitFor(() => others(observer).has(4242), 'the first presence')
    socket.send(awarenessMessage([[4343, 1, { cursor: null }]]))
    socket.send(awarenessMessage([[4242, 2, { cursor: { at: 2 } }]]))
    await settle()
    expect([...others(observer).keys()]).toEqual([4242])
  })
  test(`one user shows at most ${MAX_PRESENCES_PER_USER} presences in a room, however many sockets`, async () => {
    const { id, owner, reader } = await cast(single, 'many')
    const observer = track(connect(single.wsUrl, `doc:${id}`, owner.token))
    await synced(observer)
    for (let i = 0; i < MAX_PRESENCES_PER_USER + 4; i++) {
      const socket = await hostile(single, `doc:${id}`, reader.token)
      socket.send(awarenessMessage([[5_000_000 + i, 1, {}]]))
    }
    await settle(500)
    expect(others(observer).size).toBe(MAX_PRESENCES_PER_USER)
  })
})

describe('presence on two nodes with Redis', () => {
  test('a reader on another node can neither take over a colleague id nor flood, and the colleague returns under their own name', async () => {
    const { id, owner, colleague, reader } = await cast(nodeA, 'multi')
    const room = `doc:${id}`
    const onA = track(connect(nodeA.wsUrl, room, owner.token))
    const colleagueDoc = new Y.Doc()
    const away = track(connect(nodeA.wsUrl, room, colleague.token, colleagueDoc))
    await Promise.all([synced(onA), synced(away)])
    away.provider.awareness.setLocalStateField('cursor', { at: 1 })
    const taken = colleagueDoc.clientID
    await waitFor(() => others(onA).get(taken)?.user?.name === '李强', 'the colleague')
    away.provider.disconnect()
    await waitFor(() => !others(onA).has(taken), 'the colleague to leave')

    // Node B loads the room only now: it never saw the colleague's presence itself.
    const socket = await hostile(nodeB, room, reader.token)
    const onB = track(connect(nodeB.wsUrl, room, owner.token))
    await synced(onB)
    socket.send(awarenessMessage([[taken, 1000, { cursor: { at: 99 } }]]))
    let nextId = 2_000_000
    for (let i = 0; i < 5; i++) {
      socket.send(
        awarenessMessage(
          Array.from({ length: 150 }, (): [number, number, unknown] => [nextId++, 1, {}]),
        ),
      )
    }
    await settle(500)
    expect(others(onA).get(taken)).toBeUndefined()
    expect(others(onB).get(taken)).toBeUndefined()
    expect(others(onA).size).toBeLessThanOrEqual(1)
    expect(others(onB).size).toBeLessThanOrEqual(2)

    // The colleague's client comes back, through node B this time (as behind a load balancer).
    away.provider.serverUrl = nodeB.wsUrl
    away.provider.connect()
    await synced(away)
    away.provider.awareness.setLocalStateField('cursor', { at: 2 })
    await waitFor(() => others(onA).get(taken)?.user?.name === '李强', 'the colleague on A')
    await waitFor(() => others(onB).get(taken)?.user?.name === '李强', 'the colleague on B')
  })

  test("another node's frame naming the wrong owner, or no owner, is not applied", async () => {
    const { id, owner, colleague, reader } = await cast(nodeA, 'forged')
    const room = `doc:${id}`
    const onA = track(connect(nodeA.wsUrl, room, owner.token))
    const colleagueDoc = new Y.Doc()
    const present = track(connect(nodeA.wsUrl, room, colleague.token, colleagueDoc))
    await Promise.all([synced(onA), synced(present)])
    present.provider.awareness.setLocalStateField('cursor', { at: 1 })
    const taken = colleagueDoc.clientID
    await waitFor(() => others(onA).get(taken)?.user?.name === '李强', 'the colleague')

    const forged = awarenessUpdate([[taken, 50, { cursor: { at: 7 }, user: { name: '赵敏' } }]])
    const fresh = awarenessUpdate([[777_777, 1, { user: { name: '无主' } }]])
    const owned = encoding.createEncoder()
    encoding.writeVarUint(owned, 1)
    encoding.writeVarUint(owned, taken)
    encoding.writeVarString(owned, reader.userId)
    encoding.writeVarUint8Array(owned, forged)
    const publisher = new Redis(REDIS_URL)
    try {
      const channel = `${nodeA.config.redisPrefix}:room:${room}`
      const node = Buffer.alloc(16, 7)
      await publisher.publish(
        channel,
        Buffer.concat([Buffer.from([5]), node, encoding.toUint8Array(owned)]),
      )
      await publisher.publish(channel, Buffer.concat([Buffer.from([2]), node, fresh]))
      await settle(500)
    } finally {
      publisher.disconnect()
    }
    expect(others(onA).get(taken)?.user?.name).toBe('李强')
    expect(others(onA).has(777_777)).toBe(false)
  })
})

/** An awareness update (without the message framing). */
function awarenessUpdate(entries: readonly [number, number, unknown][]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}
