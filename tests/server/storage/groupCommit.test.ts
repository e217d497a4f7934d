import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_GROUP_COMMIT, GroupCommit } from '../../../server/storage/roomlog/GroupCommit'
import type { RoomLogEntry } from '../../../server/storage/roomlog/RoomLog'

/** A store whose commits the test finishes (or fails) one by one, in order. */
class ManualStore {
  readonly commits: { entries: readonly RoomLogEntry[]; finish: (error?: Error) => void }[] = []

  readonly write = (entries: readonly RoomLogEntry[]): Promise<void> =>
    new Promise((resolve, reject) => {
      this.commits.push({
        entries,
        finish: (error) => (error === undefined ? resolve() : reject(error)),
      })
    })
}

/** Yjs updates typing `words` into one document, one update per word. */
function typing(words: string[]): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (const word of words) {
    doc.getText('t').insert(doc.getText('t').length, word)
  }
  return updates
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc()
  updates.forEach((update) => Y.applyUpdate(doc, update))
  return doc.getText('t').toString()
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const quiet = { committed: () => {}, failed: () => {} }

describe('the group commit', () => {
  test('starts a lone update at once, and puts what arrives meanwhile into the next commit, one row per room', async () => {
    const store = new ManualStore()
    const commit = new GroupCommit(store.write, quiet, { ...DEFAULT_GROUP_COMMIT, spacingMs: 0 })
    const [a1, a2, a3] = typing(['甲', '乙', '丙'])
    const [b1] = typing(['丁'])
    if (a1 === undefined || a2 === undefined || a3 === undefined || b1 === undefined) {
      throw new Error('no updates')
    }
    const first = commit.push('doc:a', a1)
    expect(store.commits).toHaveLength(1)
    commit.push('doc:a', a2)
    commit.push('doc:b', b1)
    const last = commit.push('doc:a', a3)
    const saved = commit.until(last)
    expect(commit.until(first)).not.toBeNull()
    store.commits[0]?.finish()
    await tick()
    expect(commit.until(first)).toBeNull()
    expect(store.commits).toHaveLength(2)
    const second = store.commits[1]?.entries ?? []
    expect(second.map((e) => e.room)).toEqual(['doc:a', 'doc:b'])
    expect(textOf([a1, ...second.filter((e) => e.room === 'doc:a').map((e) => e.update)])).toBe(
      '甲乙丙',
    )
    store.commits[1]?.finish()
    expect(await saved).toBe(true)
    expect(commit.until(last)).toBeNull()
  })

  test('retries a failed commit together with later updates, and reports nothing durable before', async () => {
    const store = new ManualStore()
    const failures: number[] = []
    const commit = new GroupCommit(
      store.write,
      { committed: () => {}, failed: (_e, rooms) => failures.push(rooms) },
      { ...DEFAULT_GROUP_COMMIT, retryMs: 5 },
    )
    const [w1, w2] = typing(['一', '二'])
    if (w1 === undefined || w2 === undefined) {
      throw new Error('no updates')
    }
    const s1 = commit.push('doc:a', w1)
    const saved1 = commit.until(s1)
    store.commits[0]?.finish(new Error('disk full'))
    await tick()
    expect(failures).toEqual([1])
    const s2 = commit.push('doc:a', w2)
    expect(commit.until(s1)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(store.commits).toHaveLength(2)
    const retry = store.commits[1]?.entries ?? []
    expect(retry).toHaveLength(1)
    expect(textOf(retry.map((e) => e.update))).toBe('一二')
    store.commits[1]?.finish()
    expect(await saved1).toBe(true)
    expect(commit.until(s2)).toBeNull()
  })

  test('tells waiters their updates were not saved when the store fails for longer than giveUpMs', async () => {
    const store = new ManualStore()
    const commit = new GroupCommit(store.write, quiet, {
      ...DEFAULT_GROUP_COMMIT,
      retryMs: 5,
      giveUpMs: 30,
    })
    const [w1] = typing(['一'])
    if (w1 === undefined) {
      throw new Error('no update')
    }
    const saved = commit.until(commit.push('doc:a', w1))
    const failing = setInterval(() => {
      for (const c of store.commits.splice(0)) {
        c.finish(new Error('down'))
      }
    }, 2)
    expect(await saved).toBe(false)
    clearInterval(failing)
    commit.close()
  })

  test('under a steady stream starts a commit at most once per spacingMs, carrying every update of the interval', async () => {
    const writes: (readonly RoomLogEntry[])[] = []
    const commit = new GroupCommit(
      (entries) => {
        writes.push(entries)
        return Promise.resolve()
      },
      quiet,
      { ...DEFAULT_GROUP_COMMIT, spacingMs: 40 },
    )
    const updates = typing(['一', '二', '三', '四', '五', '六'])
    const rooms = ['doc:a', 'doc:b', 'doc:c', 'doc:d', 'doc:e', 'doc:f']
    // A lone update after a quiet spell is written at once.
    const first = commit.push('doc:a', updates[0] ?? new Uint8Array())
    expect(writes).toHaveLength(1)
    await tick()
    expect(commit.until(first)).toBeNull()
    // The rest arrive within the spacing: none is written before it has passed, then all at once.
    let last = first
    for (let i = 1; i < updates.length; i++) {
      last = commit.push(rooms[i] ?? 'doc:a', updates[i] ?? new Uint8Array())
    }
    const saved = commit.until(last)
    await tick()
    expect(writes).toHaveLength(1)
    expect(await saved).toBe(true)
    expect(writes).toHaveLength(2)
    expect(writes[1]?.map((entry) => entry.room)).toEqual(rooms.slice(1))
    commit.close()
  })
})
