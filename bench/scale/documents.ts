/**
 * Documents of the scale benchmark: room plans for each server (our relay's through its HTTP API,
 * with real accounts and tokens) and large documents for the cold loads (seeded into our relay's
 * data folder by tests/utils/seedRooms.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import * as Y from 'yjs'
import { docRoom } from '../../shared/protocol/rooms'
import { adminClient } from '../../tests/utils/relay'
import { progress } from '../lib/report'
import type { RoomPlan } from './protocol'
import type { RunningServer } from './servers'

/** Accounts of the benchmark on our relay (accounts, with one session token each). */
const ACCOUNTS = 200
/** Requests in flight at once while provisioning (the relay hashes and audits each one). */
const CONCURRENCY = 8
const pools = new Map<string, Promise<{ userId: string; token: string }[]>>()

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
  return results
}

/**
 * The accounts clients connect as: `ACCOUNTS` real accounts with a password (an account signed in
 * with its activation code may do nothing but set one), each logged in once. Clients beyond that
 * reuse them, one session in several rooms as a person with several documents open: each password
 * costs the relay two scrypt hashes, and thousands would take minutes on a small machine.
 */
function accountPool(server: RunningServer): Promise<{ userId: string; token: string }[]> {
  let pool = pools.get(server.httpUrl)
  if (pool === undefined) {
    progress(`scale: provisioning ${ACCOUNTS} accounts on our relay`)
    pool = (async () => {
      const admin = await adminClient({ url: server.httpUrl })
      return inParallel(
        Array.from({ length: ACCOUNTS }, (_, i) => i),
        async (i) => {
          const { userId, token } = await admin.createUser(
            `bench.scale${String(i).padStart(4, '0')}`,
            `测试用户${i}`,
          )
          return { userId, token }
        },
      )
    })()
    pools.set(server.httpUrl, pool)
  }
  return pool
}

/**
 * @returns `rooms` rooms of `perRoom` clients: on our relay, documents shared as editor with the
 * accounts whose tokens its clients carry (distinct accounts within a room); names elsewhere.
 */
export async function roomPlans(
  server: RunningServer,
  scenario: string,
  rooms: number,
  perRoom: number,
): Promise<RoomPlan[]> {
  if (server.spec.name !== 'ours') {
    return Array.from({ length: rooms }, (_, r) => ({
      name: `${scenario}-${r + 1}`,
      tokens: Array.from({ length: perRoom }, () => null),
    }))
  }
  const pool = await accountPool(server)
  if (perRoom > pool.length) {
    throw new Error(`${perRoom} clients in a room need as many accounts; there are ${pool.length}`)
  }
  progress(`scale: ${rooms} documents shared with ${perRoom} editors each (${scenario})`)
  const admin = await adminClient({ url: server.httpUrl })
  return inParallel(
    Array.from({ length: rooms }, (_, r) => r),
    async (r) => {
      const id = await admin.createDocument(`${scenario} ${r + 1}`)
      const members = Array.from(
        { length: perRoom },
        (_, k) => pool[(r * perRoom + k) % pool.length] ?? { userId: '', token: '' },
      )
      for (const member of members) {
        await admin.share(id, member.userId, 'editor')
      }
      return { name: docRoom(id), tokens: members.map((m) => m.token) }
    },
  )
}

const CACHE = path.resolve(import.meta.dirname, '../.tmp')

/** A small deterministic PRNG (mulberry32), so every run loads the same documents. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = '齐鲁 公文 审批 会议 通知 关于 进一步 加强 工作 的 意见 单位 部门 落实 要求 '.split(
  ' ',
)

/**
 * A document of about `bytes` encoded bytes, written the way people write: short runs typed at
 * scattered places, some of it deleted again (so it has many items, not one long
 * string). Cached under bench/.tmp: the 16 MB one takes a while to type.
 * @returns the document's update and the length of its text
 */
export function bigDocument(bytes: number): { update: Uint8Array; length: number } {
  const file = path.join(CACHE, `scale-doc-${bytes}.bin`)
  if (fs.existsSync(file)) {
    const update = new Uint8Array(fs.readFileSync(file))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    const length = doc.getText('text').length
    doc.destroy()
    return { update, length }
  }
  const next = random(bytes)
  const doc = new Y.Doc()
  const text = doc.getText('text')
  let size = 0
  while (size < bytes) {
    // One transaction per batch, like a burst of typing; the positions scatter the runs.
    doc.transact(() => {
      for (let i = 0; i < 500; i++) {
        const run = Array.from(
          { length: 3 + Math.floor(next() * 6) },
          () => WORDS[Math.floor(next() * WORDS.length)],
        ).join('')
        text.insert(Math.floor(next() * (text.length + 1)), run)
        if (next() < 0.1 && text.length > 20) {
          text.delete(Math.floor(next() * (text.length - 10)), 1 + Math.floor(next() * 8))
        }
      }
    })
    size = Y.encodeStateAsUpdate(doc).length
  }
  const update = Y.encodeStateAsUpdate(doc)
  const length = text.length
  doc.destroy()
  fs.mkdirSync(CACHE, { recursive: true })
  fs.writeFileSync(file, update)
  return { update, length }
}
