/**
 * The relay's seams: extensions run in the order their priorities declare, whatever order they
 * were added in, each hook with one payload object; services reach rooms through RoomPort (what
 * the server writes reaches the sockets and the hooks) and hear `documentStored` events. A real
 * relay on port 0 with real y-websocket clients.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { Relay } from '../../../server/relay/Relay'
import type { ConnectionIdentity, UpgradeRequest } from '../../../server/relay/identity'
import type { ChangePayload, Extension, RoomPayload } from '../../../server/relay/hooks'
import { SERVER_ORIGIN } from '../../../server/relay/origins'
import { createLogger } from '../../../server/logger'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

/** Records which extension saw which hook, in order. */
const seen: string[] = []

/** Lets every token in as an editor named after it. */
class OpenDoor implements Extension {
  readonly name = 'open-door'
  readonly priority = 1000
  async onAuthenticate(request: UpgradeRequest): Promise<ConnectionIdentity> {
    return {
      userId: request.token,
      username: request.token,
      displayName: request.token,
      roles: [],
      tokenHash: request.token,
      access: 'write',
    }
  }
}

/** Notes its name at each room load and change; `failing` throws on connect. */
class Witness implements Extension {
  readonly changes: ChangePayload[] = []
  constructor(
    readonly name: string,
    readonly priority: number | undefined,
    private readonly failing = false,
  ) {}

  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    seen.push(`${this.name}:load:${room.name}`)
  }

  onConnect(): void {
    if (this.failing) {
      throw new Error('a broken extension')
    }
    seen.push(`${this.name}:connect`)
  }

  onChange(payload: ChangePayload): void {
    this.changes.push(payload)
  }
}

let server: http.Server
let relay: Relay
let wsUrl: string
const clients: Client[] = []
const late = new Witness('late-high', 500)
const early = new Witness('early-low', 10)
const plain = new Witness('plain', undefined)
const broken = new Witness('broken', 600, true)

beforeAll(async () => {
  relay = new Relay([early, new OpenDoor()], createLogger({ quiet: true }), {
    unloadDelayMs: 100,
    pingIntervalMs: 30_000,
  })
  // Added later and in another order: the priorities decide.
  relay.use(plain, late, broken)
  server = http.createServer()
  server.on('upgrade', (request, socket, head: Buffer) =>
    relay.handleUpgrade(request, socket, head),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`
})

afterAll(async () => {
  for (const client of clients) {
    client.destroy()
  }
  await relay.destroy()
  await new Promise((resolve) => server.close(resolve))
})

describe('extensions', () => {
  test('run by declared priority, and one that throws does not stop the others', async () => {
    const client = connect(wsUrl, 'doc:order', 'alice')
    clients.push(client)
    await synced(client)
    await waitFor(() => seen.includes('early-low:connect'), 'every onConnect')
    expect(seen.filter((entry) => entry.includes(':load:'))).toEqual([
      'broken:load:doc:order',
      'late-high:load:doc:order',
      'plain:load:doc:order',
      'early-low:load:doc:order',
    ])
    expect(seen.filter((entry) => entry.endsWith(':connect'))).toEqual([
      'late-high:connect',
      'plain:connect',
      'early-low:connect',
    ])
  })

  test("hear a client's change with its room, update and origin in one payload", async () => {
    const client = connect(wsUrl, 'doc:payload', 'bob')
    clients.push(client)
    await synced(client)
    client.doc.getText('t').insert(0, '通知')
    await waitFor(() => late.changes.some((c) => c.room.name === 'doc:payload'), 'the change')
    const change = late.changes.find((c) => c.room.name === 'doc:payload')
    const probe = new Y.Doc()
    Y.applyUpdate(probe, change?.update ?? new Uint8Array())
    expect(probe.getText('t').toString()).toBe('通知')
    expect(change?.origin).not.toBe(SERVER_ORIGIN)
  })
})

describe('RoomPort', () => {
  test("a server change reaches the room's sockets and its hooks, with the server's origin", async () => {
    const client = connect(wsUrl, 'doc:served', 'carol')
    clients.push(client)
    await synced(client)
    await relay.rooms.apply('doc:served', (doc) => doc.getText('t').insert(0, '恢复'))
    await waitFor(() => client.doc.getText('t').toString() === '恢复', 'the change on the socket')
    expect(
      late.changes.some((c) => c.room.name === 'doc:served' && c.origin === SERVER_ORIGIN),
    ).toBe(true)
  })

  test('reads a room that is not loaded by loading it, and peeks only at loaded ones', async () => {
    expect(await relay.rooms.peek('doc:cold', (doc) => doc.getText('t').length)).toBeUndefined()
    expect(await relay.rooms.read('doc:cold', (doc) => doc.getText('t').length)).toBe(0)
    expect(await relay.rooms.peek('doc:cold', (doc) => doc.getText('t').length)).toBe(0)
    await waitFor(() => relay.loadedRoom('doc:cold') === undefined, 'the idle room to unload')
  })

  test('publishes only into rooms the server writes, never into a document', async () => {
    await relay.rooms.publish('directory:u1', (doc) => doc.getMap('entries').set('a', 1))
    expect(await relay.rooms.read('directory:u1', (doc) => doc.getMap('entries').get('a'))).toBe(1)
    await expect(relay.rooms.publish('doc:served', () => {})).rejects.toThrow(/projection/)
  })

  test('tells documentStored listeners which document was stored, and only documents', () => {
    const stored: string[] = []
    relay.rooms.onDocumentStored(({ documentId }) => stored.push(documentId))
    relay.rooms.roomStored('doc:abc')
    relay.rooms.roomStored('inbox:someone')
    expect(stored).toEqual(['abc'])
  })
})
