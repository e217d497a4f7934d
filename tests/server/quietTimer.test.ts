/** QuietTimer: the relay's quiet-time timers (versions, search, 发文复核), touched at every change. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { QuietTimer } from '../../server/QuietTimer'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

test('a quiet timer fires once, its quiet time after the last touch', () => {
  let fired = 0
  const timer = new QuietTimer(80, () => fired++)
  for (let i = 0; i < 4; i++) {
    vi.advanceTimersByTime(40)
    timer.touch()
  }
  // Touched last at 160 ms: nothing before 240 ms, once at it, never again.
  vi.advanceTimersByTime(79)
  expect(fired).toBe(0)
  vi.advanceTimersByTime(1)
  expect(fired).toBe(1)
  vi.advanceTimersByTime(1000)
  expect(fired).toBe(1)
})

test('a cancelled quiet timer never fires, even after a touch', () => {
  let fired = 0
  const timer = new QuietTimer(30, () => fired++)
  timer.touch()
  timer.cancel()
  vi.advanceTimersByTime(1000)
  expect(fired).toBe(0)
})

test('a wall clock set back holds a quiet timer off by one quiet time at most', () => {
  let offset = 0
  let fired = 0
  const timer = new QuietTimer(
    30,
    () => fired++,
    () => Date.now() + offset,
  )
  // Touched while the clock read an hour ahead, then the clock is set right.
  offset = 3_600_000
  timer.touch()
  offset = 0
  vi.advanceTimersByTime(59)
  expect(fired).toBe(0)
  vi.advanceTimersByTime(1)
  expect(fired).toBe(1)
})
