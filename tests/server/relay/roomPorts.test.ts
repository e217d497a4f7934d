/**
 * The relay's seams: extensions run in the order their priorities declare, whatever order they
 * were added in, each hook with one payload object; services reach rooms through RoomPort (what
 * the server writes reaches the sockets and the hooks) and hear `documentStored` events. A real
 * relay on port 0 with real y-websocket clients.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { ChangePayload, Extension, RoomPayload } from '../../../server/relay/hooks'
import { SERVER_ORIGIN } from '../../../server/relay/origins'
import { OpenDoor, startBareRelay } from '../../utils/bareRelay'
import type { BareRelay } from '../../utils/bareRelay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

/** Records which extension saw which hook, in order. */
const seen: string[] = []

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

let bare: BareRelay
const clients: Client[] = []
const late = new Witness('late-high', 500)
const early = new Witness('early-low', 10)
const plain = new Witness('plain', undefined)
const broken = new Witness('broken', 600, true)

beforeAll(async () => {
  bare = await startBareRelay([early, new OpenDoor(1000)], 100)
  // Added later and in another order: the priorities decide.
  bare.relay.use(plain, late, broken)
})

afterAll(() => bare.stop(clients))

describe('extensions', () => {
  test('run by declared priority, and one that throws does not stop the others', async () => {
    const client = connect(bare.wsUrl, 'doc:order', 'alice')
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
    const client = connect(bare.wsUrl, 'doc:payload', 'bob')
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
    const client = connect(bare.wsUrl, 'doc:served', 'carol')
    clients.push(client)
    await synced(client)
    await bare.relay.rooms.apply('doc:served', (doc) => doc.getText('t').insert(0, '恢复'))
    await waitFor(() => client.doc.getText('t').toString() === '恢复', 'the change on the socket')
    expect(
      late.changes.some((c) => c.room.name === 'doc:served' && c.origin === SERVER_ORIGIN),
    ).toBe(true)
  })

  test('reads a room that is not loaded by loading it, and peeks only at loaded ones', async () => {
    expect(
      await bare.relay.rooms.peek('doc:cold', (doc) => doc.getText('t').length),
    ).toBeUndefined()
    expect(await bare.relay.rooms.read('doc:cold', (doc) => doc.getText('t').length)).toBe(0)
    expect(await bare.relay.rooms.peek('doc:cold', (doc) => doc.getText('t').length)).toBe(0)
    await waitFor(() => bare.relay.loadedRoom('doc:cold') === undefined, 'the idle room to unload')
  })

  test('publishes only into rooms the server writes, never into a document', async () => {
    await bare.relay.rooms.publish('directory:u1', (doc) => doc.getMap('entries').set('a', 1))
    expect(
      await bare.relay.rooms.read('directory:u1', (doc) => doc.getMap('entries').get('a')),
    ).toBe(1)
    await expect(bare.relay.rooms.publish('doc:served', () => {})).rejects.toThrow(/projection/)
  })

  test('tells documentStored listeners which document was stored, and only documents', () => {
    const stored: string[] = []
    bare.relay.rooms.onDocumentStored(({ documentId }) => stored.push(documentId))
    bare.relay.rooms.roomStored('doc:abc')
    bare.relay.rooms.roomStored('inbox:someone')
    expect(stored).toEqual(['abc'])
  })
})
