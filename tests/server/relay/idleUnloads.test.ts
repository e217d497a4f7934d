/**
 * Idle rooms unload a few at a time: when many rooms' clients leave together, their unloads (a
 * version and a log compaction each) take turns instead of holding the relay's thread all at once;
 * a room whose client comes back while it waits for its turn stays loaded. A real relay on port 0
 * with real y-websocket clients.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { IDLE_UNLOADS_AT_ONCE, Relay } from '../../../server/relay/Relay'
import type { ConnectionIdentity, UpgradeRequest } from '../../../server/relay/identity'
import type { Extension, RoomPayload } from '../../../server/relay/hooks'
import { createLogger } from '../../../server/logger'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

const UNLOAD_MS = 40

/** Lets every token in as an editor; counts unloads, each taking UNLOAD_MS, and how many overlap. */
class SlowUnloads implements Extension {
  readonly name = 'slow-unloads'
  readonly unloaded: string[] = []
  running = 0
  mostAtOnce = 0

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

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    this.running++
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running)
    await new Promise((resolve) => setTimeout(resolve, UNLOAD_MS))
    this.running--
    this.unloaded.push(room.name)
  }
}

const unloads = new SlowUnloads()
let server: http.Server
let relay: Relay
let wsUrl: string
const clients: Client[] = []

beforeAll(async () => {
  relay = new Relay([unloads], createLogger({ quiet: true }), {
    unloadDelayMs: 50,
    pingIntervalMs: 30_000,
  })
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

test('rooms whose clients left together unload a few at a time; one rejoined stays loaded', async () => {
  const rooms = Array.from({ length: 12 }, (_, i) => `doc:idle-${i}`)
  const first = rooms.map((room) => connect(wsUrl, room, 'alice'))
  clients.push(...first)
  await Promise.all(first.map((client) => synced(client)))
  first[11]?.doc.getText('t').insert(0, '留下')
  for (const client of first) {
    client.destroy()
  }
  // The last room's client comes back while the others unload ahead of it (12 × 40 ms / 2).
  await waitFor(() => unloads.unloaded.length >= 2, 'the first unloads')
  expect(unloads.unloaded).not.toContain('doc:idle-11')
  const back = connect(wsUrl, 'doc:idle-11', 'alice')
  clients.push(back)
  await synced(back)
  await waitFor(() => unloads.unloaded.length >= 11, 'the other rooms unloaded', 5000)
  expect(unloads.mostAtOnce).toBe(IDLE_UNLOADS_AT_ONCE)
  expect([...unloads.unloaded].sort()).toEqual(rooms.slice(0, 11).sort())
  // Still the loaded room: what was typed before the client left is there without storage.
  expect(back.doc.getText('t').toString()).toBe('留下')
})
