import { describe, expect, test } from 'vitest'
import {
  MIN_REFRESH_MS,
  REFRESH_EARLY_MS,
  RETRY_MS,
  refreshDelay,
  secondsLeft,
} from '../../../../renderer/src/features/meetings/checkinCode'

const now = Date.parse('2026-12-08T09:00:00+08:00')
const inSeconds = (s: number): string => new Date(now + s * 1000).toISOString()

describe('rotating sign-in code', () => {
  test('the next code is fetched before the shown one expires', () => {
    // The relay's default: a code lives 60 s.
    expect(refreshDelay(inSeconds(60), now)).toBe(60_000 - REFRESH_EARLY_MS)
    expect(refreshDelay(inSeconds(60), now)).toBeLessThan(60_000)
    // The longest allowed (120 s) too.
    expect(refreshDelay(inSeconds(120), now)).toBe(120_000 - REFRESH_EARLY_MS)
  })

  test('a code about to expire, or a device clock ahead of the relay, does not hammer it', () => {
    expect(refreshDelay(inSeconds(5), now)).toBe(MIN_REFRESH_MS)
    expect(refreshDelay(inSeconds(-30), now)).toBe(MIN_REFRESH_MS)
    expect(refreshDelay('not a time', now)).toBe(RETRY_MS)
  })

  test('the countdown shows whole seconds and stops at 0', () => {
    expect(secondsLeft(inSeconds(59.6), now)).toBe(60)
    expect(secondsLeft(inSeconds(-3), now)).toBe(0)
  })
})
