/** Checks of what this feature reads back from the device's cache. */
import { CalendarEntry } from '../../../../shared/http/routes/meetings'
import type { CalendarItem } from './calendar'

/** @returns whether a cached value is a list of calendar entries. */
export function isCalendarItems(value: unknown): value is CalendarItem[] {
  return Array.isArray(value) && value.every((entry) => CalendarEntry.safeParse(entry).success)
}
