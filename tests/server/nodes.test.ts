/**
 * Several relay nodes surviving failures (issue 23): a node killed under load loses nothing it
 * acknowledged and its clients carry on on another node; Redis restarting is survived; PostgreSQL
 * ending the relay's connections (pg_terminate_backend, standing in for a restart of the shared
 * cluster) is survived. Built relays on one PostgreSQL test database and a Redis of this file's own.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminClient, createTestDatabase } from '../utils/relay'
import type { TestDatabase } from '../utils/relay'
import { freePort } from '../utils/process'
import type { RelayProcess } from '../utils/process'
import { connect, synced, text, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import { nodeEnv, startNode, startOwnRedis, storedText, terminateConnections } from '../utils/nodes'
import type { OwnRedis } from '../utils/nodes'
import { Typist, missing } from '../utils/typist'

const nodes: RelayProcess[] = []
const clients: Client[] = []
const typists: Typist[] = []
let database: TestDatabase
let redis: OwnRedis

beforeAll(async () => {
  database = await createTestDatabase()
  redis = await startOwnRedis(await freePort())
}, 30_000)

afterAll(async () => {
  typists.forEach((typist) => typist.stop())
  clients.forEach((client) => client.destroy())
  nodes.forEach((node) => node.child.kill('SIGKILL'))
  await Promise.all(nodes.map((node) => node.exited))
  await redis.kill()
  await database.drop()
})

interface Node {
  relay: RelayProcess
  readonly env: Record<string, string>
  readonly port: number
  readonly wsUrl: string
}

async function node(prefix: string): Promise<Node> {
  const env = nodeEnv(database.url, redis.url, prefix)
  const port = await freePort()
  const relay = await startNode(env, port)
  nodes.push(relay)
  return { relay, env, port, wsUrl: `ws://127.0.0.1:${port}/sync` }
}

/** Two accounts and a document they both edit. */
async function twoEditors(
  on: Node,
  names: string,
): Promise<{ room: string; one: string; two: string }> {
  const admin = await adminClient({ url: `http://127.0.0.1:${on.port}` })
  const one = await admin.createUser(`${names}.one`, '一号')
  const two = await admin.createUser(`${names}.two`, '二号')
  const id = await one.api.createDocument(`多节点 ${names}`)
  await one.api.share(id, two.userId, 'editor')
  return { room: `doc:${id}`, one: one.token, two: two.token }
}

function client(wsUrl: string, room: string, token: string, doc?: Client['doc']): Client {
  const made = connect(wsUrl, room, token, doc)
  clients.push(made)
  return made
}

function typist(of: Client, tag: string): Typist {
  const made = new Typist(of, tag)
  typists.push(made)
  return made
}

/** Sends barriers until one covering everything typed is answered. */
async function acknowledgeAll(typist: Typist, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (typist.acknowledged < typist.typed.length - 1) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    typist.barrier()
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('several relay nodes', () => {
  test('a node killed under load loses nothing acknowledged; its clients carry on on another node', async () => {
    const a = await node('qilu-kill')
    const b = await node('qilu-kill')
    const { room, one, two } = await twoEditors(a, 'kill')
    const onA = client(a.wsUrl, room, one)
    const onB = client(b.wsUrl, room, two)
    await Promise.all([synced(onA), synced(onB)])
    const typingA = typist(onA, 'a')
    const typingB = typist(onB, 'b')
    typingA.start(10)
    typingB.start(10)
    await waitFor(() => typingA.acknowledged >= 30, 'acknowledged typing on node A', 15_000)

    // kill -9 at the moment one of A's answers arrives: the narrowest window.
    const killed = new Promise<void>((resolve) =>
      typingA.onNextAnswer(() => {
        a.relay.child.kill('SIGKILL')
        resolve()
      }),
    )
    await killed
    expect(await a.relay.exited).toBe('SIGKILL')
    const acknowledgedOnA = typingA.acknowledgedTokens()
    // The writer on A keeps typing while its node is gone.
    await sleep(300)

    // Every token A acknowledged is on node B and in the database.
    const reader = client(b.wsUrl, room, two)
    await synced(reader)
    expect(missing(acknowledgedOnA, text(reader))).toEqual([])
    expect(missing(acknowledgedOnA, await storedText(database.url, room))).toEqual([])

    // A's client knows one URL: it reconnects to B with its document, unsaved edits and all.
    onA.provider.disconnect()
    const moved = client(b.wsUrl, room, one, onA.doc)
    typingA.moveTo(moved)
    await synced(moved)
    await sleep(300)
    typingA.stop()
    typingB.stop()
    await Promise.all([acknowledgeAll(typingA, 'A’s writer on B'), acknowledgeAll(typingB, 'B')])
    await waitFor(() => text(moved) === text(onB), 'the moved writer and B to converge', 10_000)
    expect(missing(typingA.typed, text(onB))).toEqual([])
    expect(missing(typingB.typed, text(moved))).toEqual([])

    // 已保存 means saved: everything both writers now see acknowledged is in the database.
    const stored = await storedText(database.url, room)
    expect(missing(typingA.typed, stored)).toEqual([])
    expect(missing(typingB.typed, stored)).toEqual([])

    // A comes back and serves the whole document.
    a.relay = await startNode(a.env, a.port)
    nodes.push(a.relay)
    const back = client(a.wsUrl, room, one)
    await synced(back)
    await waitFor(() => text(back) === text(onB), 'the restarted node to serve everything', 10_000)
  }, 120_000)

  test('what a killed node fanned out but had not stored is saved by the node that has it', async () => {
    const a = await node('qilu-window')
    const b = await node('qilu-window')
    const { room, one, two } = await twoEditors(a, 'window')
    const onA = client(a.wsUrl, room, one)
    const onB = client(b.wsUrl, room, two)
    await Promise.all([synced(onA), synced(onB)])
    // A slow disk, made certain: the room log is locked, so A fans the update out but cannot commit it.
    const lock = new pg.Client({ connectionString: database.url })
    await lock.connect()
    await lock.query('BEGIN')
    await lock.query('LOCK TABLE room_updates IN ACCESS EXCLUSIVE MODE')
    const token = 'fanned-not-stored;'
    onA.doc.getText('text').insert(0, token)
    await waitFor(() => text(onB).includes(token), 'the update to reach node B')
    a.relay.child.kill('SIGKILL')
    await a.relay.exited
    // Its blocked INSERT would still commit once the lock goes (PostgreSQL does not notice the
    // client's death while it waits): end the dead node's connections first (B's reconnect).
    const { rows } = await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    await terminateConnections(database.url, rows[0]?.pid ?? 0)
    await lock.query('ROLLBACK')
    await lock.end()
    expect(await storedText(database.url, room)).not.toContain(token)

    // A's client moves to B and asks whether its change is saved: it is only if it is stored.
    onA.provider.disconnect()
    const moved = client(b.wsUrl, room, one, onA.doc)
    const typing = typist(moved, 'x')
    await synced(moved)
    typing.type()
    await acknowledgeAll(typing, 'the moved client’s barrier')
    expect(await storedText(database.url, room)).toContain(token)
  }, 60_000)

  test('Redis restarting is survived: updates made meanwhile cross once it is back', async () => {
    const a = await node('qilu-redis')
    const b = await node('qilu-redis')
    const { room, one, two } = await twoEditors(a, 'redis')
    const onA = client(a.wsUrl, room, one)
    const onB = client(b.wsUrl, room, two)
    await Promise.all([synced(onA), synced(onB)])
    const typingA = typist(onA, 'a')
    const typingB = typist(onB, 'b')
    typingA.type()
    typingB.type()
    await waitFor(() => text(onA) === text(onB) && text(onA).length > 0, 'cross-node co-editing')

    await redis.kill()
    for (let i = 0; i < 5; i++) {
      typingA.type()
      typingB.type()
      await sleep(50)
    }
    // Saved meanwhile (the database is up); not across (Redis is down).
    await Promise.all([
      acknowledgeAll(typingA, 'A during the outage'),
      acknowledgeAll(typingB, 'B'),
    ])
    await sleep(500)
    expect(missing(typingA.typed, text(onB))).not.toEqual([])

    await redis.restart()
    await waitFor(
      () =>
        missing(typingA.typed, text(onB)).length === 0 &&
        missing(typingB.typed, text(onA)).length === 0,
      'the outage’s updates to cross once Redis is back',
      20_000,
    )
    // And new updates flow again, both ways, without restarting either relay.
    const fromA = typingA.type()
    const fromB = typingB.type()
    await waitFor(
      () => text(onB).includes(fromA) && text(onA).includes(fromB),
      'cross-node updates after Redis restarted',
      10_000,
    )
    await waitFor(() => text(onA) === text(onB), 'convergence')
  }, 90_000)

  test('PostgreSQL ending the relay’s connections is survived (simulated: pg_terminate_backend)', async () => {
    const a = await node('qilu-pg')
    const { room, one } = await twoEditors(a, 'pg')
    const onA = client(a.wsUrl, room, one)
    await synced(onA)
    const typingA = typist(onA, 'a')
    typingA.start(10)
    let ended = 0
    for (let round = 0; round < 4; round++) {
      await sleep(300)
      ended += await terminateConnections(database.url)
    }
    const acknowledgedAtLast = typingA.acknowledged
    await waitFor(
      () => typingA.acknowledged > acknowledgedAtLast + 10,
      'acknowledgements after the last termination',
      15_000,
    )
    typingA.stop()
    await acknowledgeAll(typingA, 'everything typed')
    expect(ended).toBeGreaterThan(0)
    expect(missing(typingA.typed, await storedText(database.url, room))).toEqual([])
    // The relay kept serving its HTTP API too.
    const admin = await adminClient({ url: `http://127.0.0.1:${a.port}` })
    expect((await fetch(`http://127.0.0.1:${a.port}/api/v1/health`)).status).toBe(200)
    await admin.createUser('pg.after', '之后')
    expect(onA.closeCodes.filter((code) => code !== 1013)).toEqual([])
  }, 90_000)
})
