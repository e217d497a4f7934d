/**
 * The memo of what a burst's refusals share (their suggestions): one computation per slot for the refusals of a burst, forgotten
 * on any change and after its time; a failed computation is not kept.
 */
import { describe, expect, test } from 'vitest'
import { BurstMemo, slotKey } from '../../../server/meetings/BurstMemo'
import type { SlotSuggestion } from '../../../shared/http/routes/meetings'

const slot = { start: '2027-01-04T09:00:00+08:00', end: '2027-01-04T10:00:00+08:00', roomId: 'r1' }

describe('BurstMemo', () => {
  test('the refusals of one slot asking at once share one computation', async () => {
    const memo = new BurstMemo<SlotSuggestion[]>(() => 0)
    let runs = 0
    const compute = async () => {
      runs += 1
      return [slot]
    }
    const key = slotKey('r1', 1, 2, ['b', 'a'])
    const answers = await Promise.all(Array.from({ length: 50 }, () => memo.get(key, compute)))
    expect(runs).toBe(1)
    expect(answers.every((a) => a[0] === slot)).toBe(true)
    // The organiser's units in another order are the same key; other units are not.
    expect(slotKey('r1', 1, 2, ['a', 'b'])).toBe(key)
    expect(slotKey('r1', 1, 2, ['a'])).not.toBe(key)
  })

  test('a change, or the time bound, makes the next refusal compute anew', async () => {
    let now = 0
    const memo = new BurstMemo<SlotSuggestion[]>(() => now, 1000)
    let runs = 0
    const compute = async () => {
      runs += 1
      return [slot]
    }
    await memo.get('k', compute)
    await memo.get('k', compute)
    expect(runs).toBe(1)
    memo.changed()
    await memo.get('k', compute)
    expect(runs).toBe(2)
    now = 999
    await memo.get('k', compute)
    expect(runs).toBe(2)
    now = 1000
    await memo.get('k', compute)
    expect(runs).toBe(3)
  })

  test('a failed computation fails its callers and is not kept', async () => {
    const memo = new BurstMemo<SlotSuggestion[]>(() => 0)
    await expect(memo.get('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    )
    await expect(memo.get('k', async () => [slot])).resolves.toEqual([slot])
  })
})
