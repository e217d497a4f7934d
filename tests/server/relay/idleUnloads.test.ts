/**
 * Idle rooms unload a few at a time: when many rooms' clients leave together, their unloads (a
 * version and a log compaction each) take turns instead of holding the relay's thread all at once;
 * a room whose client comes back while it waits for its turn stays loaded. A real relay on port 0
 * with real y-websocket clients.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { IDLE_UNLOADS_AT_ONCE } from '../../../server/relay/Relay'
import type { Extension, RoomPayload } from '../../../server/relay/hooks'
import { OpenDoor, startBareRelay } from '../../utils/bareRelay'
import type { BareRelay } from '../../utils/bareRelay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

const UNLOAD_MS = 40

/** Counts unloads, each taking UNLOAD_MS, and how many overlap. */
class SlowUnloads implements Extension {
  readonly name = 'slow-unloads'
  readonly unloaded: string[] = []
  running = 0
  mostAtOnce = 0

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    this.running++
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running)
    await new Promise((resolve) => setTimeout(resolve, UNLOAD_MS))
    this.running--
    this.unloaded.push(room.name)
  }
}

const unloads = new SlowUnloads()
let bare: BareRelay
const clients: Client[] = []

beforeAll(async () => {
  bare = await startBareRelay([new OpenDoor(), unloads], 50)
})

afterAll(() => bare.stop(clients))

test('rooms whose clients left together unload a few at a time; one rejoined stays loaded', async () => {
  const rooms = Array.from({ length: 12 }, (_, i) => `doc:idle-${i}`)
  const first = rooms.map((room) => connect(bare.wsUrl, room, 'alice'))
  clients.push(...first)
  await Promise.all(first.map((client) => synced(client)))
  first[11]?.doc.getText('t').insert(0, '留下')
  for (const client of first) {
    client.destroy()
  }
  // The last room's client comes back while the others unload ahead of it (12 × 40 ms / 2).
  await waitFor(() => unloads.unloaded.length >= 2, 'the first unloads')
  expect(unloads.unloaded).not.toContain('doc:idle-11')
  const back = connect(bare.wsUrl, 'doc:idle-11', 'alice')
  clients.push(back)
  await synced(back)
  await waitFor(() => unloads.unloaded.length >= 11, 'the other rooms unloaded', 5000)
  expect(unloads.mostAtOnce).toBe(IDLE_UNLOADS_AT_ONCE)
  expect([...unloads.unloaded].sort()).toEqual(rooms.slice(0, 11).sort())
  // Still the loaded room: what was typed before the client left is there without storage.
  expect(back.doc.getText('t').toString()).toBe('留下')
})
