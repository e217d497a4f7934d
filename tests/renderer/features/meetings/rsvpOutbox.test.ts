import { describe, expect, test } from 'vitest'
import { RsvpOutbox } from '../../../../renderer/src/features/meetings/rsvpOutbox'
import type { OutboxStorage } from '../../../../renderer/src/features/meetings/rsvpOutbox'

class MemoryStorage implements OutboxStorage {
  readonly data = new Map<string, string>()
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value)
  }
  removeItem(key: string): void {
    this.data.delete(key)
  }
}

const KEY = 'qilu:u1:meetings:rsvp-outbox'
const networkError = new Error('network')
const isNetwork = (error: unknown): boolean => error === networkError

describe('RSVP outbox', () => {
  test('answers persist, one per meeting, the latest winning', () => {
    const storage = new MemoryStorage()
    const outbox = new RsvpOutbox(storage, KEY)
    outbox.put({ meetingId: 'm1', response: 'accept' }, 1)
    outbox.put({ meetingId: 'm2', response: 'tentative' }, 2)
    outbox.put({ meetingId: 'm1', response: 'decline', reason: '出差' }, 3)
    const again = new RsvpOutbox(storage, KEY)
    expect(again.list().map((e) => [e.meetingId, e.response])).toEqual([
      ['m2', 'tentative'],
      ['m1', 'decline'],
    ])
    expect(again.pending('m1')?.reason).toBe('出差')
  })

  test('flush sends in order, keeps the rest while the relay is unreachable, drops refusals', async () => {
    const storage = new MemoryStorage()
    const outbox = new RsvpOutbox(storage, KEY)
    outbox.put({ meetingId: 'm1', response: 'accept' }, 1)
    outbox.put({ meetingId: 'm2', response: 'deputy', deputyId: 'u9' }, 2)
    outbox.put({ meetingId: 'm3', response: 'tentative' }, 3)

    const offline = await outbox.flush(() => Promise.reject(networkError), isNetwork)
    expect(offline.sent).toEqual([])
    expect(offline.kept.map((e) => e.meetingId)).toEqual(['m1', 'm2', 'm3'])
    expect(outbox.list()).toHaveLength(3)

    const seen: string[] = []
    const refusal = new Error('not_invited')
    const online = await outbox.flush((entry) => {
      seen.push(entry.meetingId)
      return entry.meetingId === 'm2' ? Promise.reject(refusal) : Promise.resolve()
    }, isNetwork)
    expect(seen).toEqual(['m1', 'm2', 'm3'])
    expect(online.sent.map((e) => e.meetingId)).toEqual(['m1', 'm3'])
    expect(online.refused).toEqual([
      { entry: expect.objectContaining({ meetingId: 'm2' }), error: refusal },
    ])
    expect(outbox.list()).toEqual([])
    expect(storage.data.has(KEY)).toBe(false)
  })

  test('an answer changed while the old one was being sent stays queued', async () => {
    const outbox = new RsvpOutbox(new MemoryStorage(), KEY)
    outbox.put({ meetingId: 'm1', response: 'accept' }, 1)
    await outbox.flush(() => {
      outbox.put({ meetingId: 'm1', response: 'decline', reason: '冲突' }, 2)
      return Promise.resolve()
    }, isNetwork)
    expect(outbox.list().map((e) => e.response)).toEqual(['decline'])
  })

  test('a damaged store reads as empty', () => {
    const storage = new MemoryStorage()
    storage.setItem(KEY, '{not json')
    expect(new RsvpOutbox(storage, KEY).list()).toEqual([])
    storage.setItem(KEY, JSON.stringify([{ meetingId: 'm1', response: 'maybe', queuedAt: 1 }]))
    expect(new RsvpOutbox(storage, KEY).list()).toEqual([])
  })
})
