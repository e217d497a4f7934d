/**
 * Finding free time: the next slot of a given length in a room (its bookings, its opening hours)
 * and the earliest slot that fits several people's busy blocks. Pure functions over intervals.
 */
import type { OpeningHours } from '../../shared/http/routes/meetings'
import { minutesOf, ONE_DAY_MS, shanghaiDayStart } from './time'

/** A half-open interval [start, end), ms. */
export interface Interval {
  readonly start: number
  readonly end: number
}

/** How far ahead a search looks. */
export const SEARCH_HORIZON_MS = 14 * ONE_DAY_MS
const MAX_STEPS = 5_000

/**
 * @returns the earliest start ≥ `from` at which [start, start + length) lies inside the opening
 *   hours (local Asia/Shanghai), or `from` when there are none; null when a day's hours are
 *   shorter than the length.
 */
export function nextOpen(from: number, length: number, hours: OpeningHours | null): number | null {
  if (hours === null) {
    return from
  }
  const open = minutesOf(hours.from) * 60_000
  const close = minutesOf(hours.to) * 60_000
  if (close - open < length) {
    return null
  }
  let day = shanghaiDayStart(from)
  for (let i = 0; i < 400; i += 1) {
    const start = Math.max(from, day + open)
    if (start + length <= day + close) {
      return start
    }
    day += ONE_DAY_MS
  }
  return null
}

/** @returns whether [start, end) lies inside the opening hours (always, when there are none). */
export function withinHours(start: number, end: number, hours: OpeningHours | null): boolean {
  return hours === null || nextOpen(start, end - start, hours) === start
}

/**
 * @param busy blocks that take the resource (any order, may overlap)
 * @returns the earliest start in [from, until) of a free [start, start + length) inside the hours,
 *   or null
 */
export function earliestFree(
  busy: readonly Interval[],
  from: number,
  until: number,
  length: number,
  hours: OpeningHours | null,
): number | null {
  const sorted = [...busy].sort((a, b) => a.start - b.start)
  let candidate: number | null = from
  for (let step = 0; step < MAX_STEPS && candidate !== null; step += 1) {
    candidate = nextOpen(candidate, length, hours)
    if (candidate === null || candidate + length > until) {
      return null
    }
    const start: number = candidate
    const blocker = sorted.find((b) => b.start < start + length && start < b.end)
    if (blocker === undefined) {
      return start
    }
    candidate = blocker.end
  }
  return null
}

/** @returns up to `count` successive free starts (each after the previous slot ends). */
export function freeStarts(
  busy: readonly Interval[],
  from: number,
  until: number,
  length: number,
  hours: OpeningHours | null,
  count: number,
): number[] {
  const starts: number[] = []
  let cursor = from
  while (starts.length < count) {
    const start = earliestFree(busy, cursor, until, length, hours)
    if (start === null) {
      break
    }
    starts.push(start)
    cursor = start + length
  }
  return starts
}
