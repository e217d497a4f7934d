/**
 * Calendar layout in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991): the days a
 * day, week or month view shows, and where each meeting sits in them. Pure: times in, positions out,
 * whatever the device's own time zone.
 *
 * @example
 *   const range = viewRange('week', '2026-12-09') // Monday 12-07 … Sunday 12-13
 *   const day = layoutDay(entries, '2026-12-09')  // timed blocks with lanes, all-day entries
 */

/** Asia/Shanghai's offset from UTC (ms). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/** The views of the calendar. */
export type CalendarMode = 'day' | 'week' | 'month'

/** A meeting as the calendar places it (the contract's CalendarEntry). */
export interface CalendarItem {
  readonly meetingId: string
  readonly title: string
  readonly start: string
  readonly end: string
  readonly roomId: string | null
  readonly allDay: boolean
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** @returns the Asia/Shanghai date `YYYY-MM-DD` of an instant (ms since the epoch). */
export function shanghaiDate(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
}

/** @returns the Asia/Shanghai `HH:MM` of an instant. */
export function shanghaiClock(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS)
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
}

/** @returns the instant of 00:00 Asia/Shanghai on a date `YYYY-MM-DD`. */
export function dayStartMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - SHANGHAI_OFFSET_MS
}

/** @returns an instant as ISO 8601 with the +08:00 offset (what the relay answers, too). */
export function shanghaiIso(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS)
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}+08:00`
  )
}

/** @returns the instant of a Shanghai date and `HH:MM`. */
export function shanghaiAt(date: string, clock: string): number {
  const [h, m] = clock.split(':').map(Number)
  return dayStartMs(date) + ((h ?? 0) * 60 + (m ?? 0)) * 60_000
}

/** @returns the date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return shanghaiDate(dayStartMs(date) + days * DAY_MS)
}

/** @returns 1 (Monday) … 7 (Sunday) of a date, the Chinese week. */
export function isoWeekday(date: string): number {
  const day = new Date(dayStartMs(date) + SHANGHAI_OFFSET_MS).getUTCDay()
  return day === 0 ? 7 : day
}

/** The days a view shows and the instants it asks the relay for. */
export interface ViewRange {
  /** Every day shown, in order (a month: whole weeks, Monday first). */
  readonly days: string[]
  /** Start of the first day (ms). */
  readonly from: number
  /** End of the last day, exclusive (ms). */
  readonly to: number
}

/** @returns the days of the `mode` view around `anchor` (a week starts on Monday). */
export function viewRange(mode: CalendarMode, anchor: string): ViewRange {
  let first: string
  let count: number
  if (mode === 'day') {
    first = anchor
    count = 1
  } else if (mode === 'week') {
    first = addDays(anchor, 1 - isoWeekday(anchor))
    count = 7
  } else {
    const monthFirst = `${anchor.slice(0, 7)}-01`
    first = addDays(monthFirst, 1 - isoWeekday(monthFirst))
    const nextMonth = addDays(monthFirst, 32).slice(0, 7)
    const lastDay = addDays(`${nextMonth}-01`, -1)
    const last = addDays(lastDay, 7 - isoWeekday(lastDay))
    count = Math.round((dayStartMs(last) - dayStartMs(first)) / DAY_MS) + 1
  }
  const days = Array.from({ length: count }, (_, i) => addDays(first, i))
  return { days, from: dayStartMs(first), to: dayStartMs(first) + count * DAY_MS }
}

/** @returns the anchor moved by one step of the view (a day, a week, a month). */
export function shiftAnchor(mode: CalendarMode, anchor: string, step: number): string {
  if (mode === 'day') {
    return addDays(anchor, step)
  }
  if (mode === 'week') {
    return addDays(anchor, 7 * step)
  }
  const [y, m] = anchor.split('-').map(Number)
  const month = (y ?? 1970) * 12 + ((m ?? 1) - 1) + step
  return `${Math.floor(month / 12)}-${pad((month % 12) + 1)}-01`
}

/** @returns whether an item touches a day (half-open [start, end)). */
export function onDay(item: CalendarItem, date: string): boolean {
  const start = Date.parse(item.start)
  const end = Date.parse(item.end)
  const from = dayStartMs(date)
  return start < from + DAY_MS && (end > from || (end === start && start >= from))
}

/** A timed meeting placed on one day's column. */
export interface TimedBlock {
  readonly item: CalendarItem
  /** Minutes after midnight where the block starts on this day (clipped to 0). */
  readonly top: number
  /** Minutes it lasts on this day (at least 15, to stay clickable). */
  readonly height: number
  /** Its lane among overlapping blocks, 0-based, and how many lanes its overlap group has. */
  readonly lane: number
  readonly lanes: number
}

/** One day's layout. */
export interface DayLayout {
  readonly allDay: CalendarItem[]
  readonly timed: TimedBlock[]
}

/** @returns the day's all-day items and its timed blocks, overlapping ones side by side in lanes. */
export function layoutDay(items: readonly CalendarItem[], date: string): DayLayout {
  const from = dayStartMs(date)
  const todays = items.filter((item) => onDay(item, date))
  const allDay = todays.filter((item) => item.allDay)
  const timed = todays
    .filter((item) => !item.allDay)
    .map((item) => {
      const start = Math.max(Date.parse(item.start), from)
      const end = Math.min(Date.parse(item.end), from + DAY_MS)
      return { item, start, end }
    })
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const blocks: TimedBlock[] = []
  // Groups of transitively overlapping blocks share a lane count.
  let group: { item: CalendarItem; start: number; end: number; lane: number }[] = []
  let groupEnd = -Infinity
  const flush = (): void => {
    const lanes = group.reduce((most, entry) => Math.max(most, entry.lane + 1), 1)
    for (const entry of group) {
      blocks.push({
        item: entry.item,
        top: Math.round((entry.start - from) / 60_000),
        height: Math.max(15, Math.round((entry.end - entry.start) / 60_000)),
        lane: entry.lane,
        lanes,
      })
    }
    group = []
  }
  for (const entry of timed) {
    if (entry.start >= groupEnd && group.length > 0) {
      flush()
      groupEnd = -Infinity
    }
    const laneEnds: number[] = []
    for (const placed of group) {
      laneEnds[placed.lane] = Math.max(laneEnds[placed.lane] ?? -Infinity, placed.end)
    }
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= entry.start)
    if (lane === -1) {
      lane = laneEnds.length
    }
    group.push({ ...entry, lane })
    groupEnd = Math.max(groupEnd, entry.end)
  }
  if (group.length > 0) {
    flush()
  }
  return { allDay, timed: blocks }
}

/** @returns each shown day's items, all-day first, then by start (the month grid's cells). */
export function itemsByDay(
  items: readonly CalendarItem[],
  days: readonly string[],
): Map<string, CalendarItem[]> {
  const map = new Map<string, CalendarItem[]>()
  for (const day of days) {
    map.set(
      day,
      items
        .filter((item) => onDay(item, day))
        .sort(
          (a, b) =>
            Number(b.allDay) - Number(a.allDay) || Date.parse(a.start) - Date.parse(b.start),
        ),
    )
  }
  return map
}
