/**
 * The calendar ranges kept on this device for offline reading: one localStorage entry per user
 * holding the most recently fetched ranges (at most MAX_RANGES), so browsing many weeks does not
 * grow the storage without bound.
 */
import { readCache, writeCache } from '../../stores/localCache'
import type { CalendarItem } from './calendar'
import { isCalendarItems } from './guards'

/** How many fetched ranges are kept. */
export const MAX_RANGES = 12

interface Kept {
  readonly key: string
  readonly items: CalendarItem[]
}

function isKeptList(value: unknown): value is Kept[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        'key' in entry &&
        typeof entry.key === 'string' &&
        'items' in entry &&
        isCalendarItems(entry.items),
    )
  )
}

const storageKey = (userId: string): string => `qilu:${userId}:meetings:calendar`

/** Keeps a fetched range (the newest first; the oldest beyond MAX_RANGES is dropped). */
export function rememberRange(userId: string, key: string, items: CalendarItem[]): void {
  const kept = (readCache(storageKey(userId), isKeptList) ?? []).filter((e) => e.key !== key)
  writeCache(storageKey(userId), [{ key, items }, ...kept].slice(0, MAX_RANGES))
}

/** @returns a kept range, or null when this device has none. */
export function recallRange(userId: string, key: string): CalendarItem[] | null {
  return readCache(storageKey(userId), isKeptList)?.find((e) => e.key === key)?.items ?? null
}
