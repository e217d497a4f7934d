/**
 * The occurrences of a meeting (one, or one per week until its recurrence ends) and which of them
 * sign-in and attendance are about now.
 */
import type { MeetingRow } from '../storage/meetings/MeetingStore'
import type { Interval } from './slots'
import { WEEK_MS } from './time'

/** Sign-in opens this long before the start. */
export const CHECKIN_OPENS_MS = 30 * 60_000

/** @returns the occurrences of a meeting: one, or one per week until `until`. */
export function occurrencesOf(start: number, end: number, until: number | null): Interval[] {
  const list: Interval[] = [{ start, end }]
  if (until !== null) {
    for (let at = start + WEEK_MS; at <= until; at += WEEK_MS) {
      list.push({ start: at, end: at + (end - start) })
    }
  }
  return list
}

/** @returns the occurrences of a meeting row. */
export function occurrencesOfMeeting(meeting: MeetingRow): Interval[] {
  return occurrencesOf(
    Number(meeting.start_at),
    Number(meeting.end_at),
    meeting.recurrence_until === null ? null : Number(meeting.recurrence_until),
  )
}

/** @returns the occurrence whose sign-in window [start − 30 min, end) holds `now`, or null. */
export function openOccurrence(meeting: MeetingRow, now: number): Interval | null {
  return (
    occurrencesOfMeeting(meeting).find((o) => now >= o.start - CHECKIN_OPENS_MS && now < o.end) ??
    null
  )
}

/**
 * @returns the occurrence attendance is about now: the one open for sign-in, else the last whose
 *   window has opened, else the first.
 */
export function attendanceOccurrence(meeting: MeetingRow, now: number): Interval {
  const all = occurrencesOfMeeting(meeting)
  const open = all.find((o) => now >= o.start - CHECKIN_OPENS_MS && now < o.end)
  const started = all.filter((o) => now >= o.start - CHECKIN_OPENS_MS)
  return open ?? started[started.length - 1] ?? all[0]!
}
