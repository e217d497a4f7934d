/**
 * Provisions the fan-out workload on our relay through its HTTP API, the way an administrator and
 * document owners would: one account per client, one document per room shared with its clients.
 */
import * as Y from 'yjs'
import { docRoom } from '../../shared/protocol/rooms'
import type { Storage } from '../../server/storage/Storage'
import { ApiClient, USER_PASSWORD, adminClient } from '../../tests/utils/relay'
import type { RoomPlan } from './fanoutProtocol'

/** Requests in flight at once while provisioning (the relay hashes and audits each one). */
const CONCURRENCY = 8

async function inParallel<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  return results
}

/**
 * Creates `rooms × perRoom` accounts (each logged in once: one session token per client) and `rooms`
 * documents owned by the admin, each shared with its `perRoom` accounts as editors.
 *
 * Accounts are created with a password and log in once each (scrypt, ~0.1 s each on this 2-core
 * machine): an account that signs in with its activation code must set a password before anything
 * else (4403 `password_change_required` on every socket), as a real first login does.
 */
export async function provisionRooms(
  relay: { url: string },
  rooms: number,
  perRoom: number,
): Promise<RoomPlan[]> {
  const admin = await adminClient(relay)
  const documents = await inParallel(
    Array.from({ length: rooms }, (_, r) => r),
    (r) => admin.createDocument(`Fan-out room ${r + 1}`),
  )
  const people = Array.from({ length: rooms * perRoom }, (_, i) => i)
  const sessions = await inParallel(people, async (i) => {
    const username = `bench.user${String(i).padStart(3, '0')}`
    const created = await admin.request<{ id: string }>('POST', '/admin/users', {
      username,
      displayName: `测试用户${i}`,
      password: USER_PASSWORD,
    })
    if (created.status !== 201) {
      throw new Error(`create ${username}: ${created.status} ${JSON.stringify(created.body)}`)
    }
    const { userId, token } = await new ApiClient(relay.url).login(username, USER_PASSWORD)
    await admin.share(documents[Math.floor(i / perRoom)], userId, 'editor')
    return token
  })
  return documents.map((id, r) => ({
    name: docRoom(id),
    tokens: sessions.slice(r * perRoom, (r + 1) * perRoom),
  }))
}

/** Logged rows after which the relay compacts a room (PersistenceExtension's default). */
export const COMPACT_AFTER = 500

/**
 * Gives room r a stored update log of r × COMPACT_AFTER / rooms rows (small edits by an earlier
 * session), so that the relay's compaction falls due for one room after another during the run, at
 * the rate it has in steady state, rather than for all rooms at once or, in a short run, not at all.
 */
export async function staggerCompaction(
  storage: Storage,
  rooms: readonly RoomPlan[],
): Promise<void> {
  const step = Math.floor(COMPACT_AFTER / rooms.length)
  for (const [r, room] of rooms.entries()) {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    for (let i = 0; i < r * step; i++) {
      doc.getText('text').insert(i, '.')
    }
    doc.destroy()
    await storage.rooms.appendUpdates(room.name, updates, Date.now())
  }
}
