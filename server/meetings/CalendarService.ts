/**
 * Calendars and free time: my meetings, a room's bookings, busy blocks per person (no titles: a
 * colleague's calendar shows when, not what), and the earliest slot that fits every required
 * attendee and a free room.
 */
import type { RequestActor } from '../services/actor'
import type { MeetingRoomService } from './MeetingRoomService'
import { hoursOf } from './MeetingRoomService'
import { MAX_ATTENDEES, MAX_RANGE_MS } from '../../shared/http/routes/meetings'
import type { SlotSuggestion } from '../../shared/http/routes/meetings'
import { badRequest, forbidden, notFound } from '../domain/errors'
import type { MeetingStores } from '../storage/meetings/stores'
import type { OccurrenceRow } from '../storage/meetings/RoomStore'
import type { Storage } from '../storage/Storage'
import type { IcsExtras, IcsMeeting } from './ics'
import { earliestFree } from './slots'
import type { Interval } from './slots'
import { minutesOf, parseTime, shanghaiIso } from './time'

/** A calendar entry as answered. */
export interface Entry {
  readonly meetingId: string
  readonly title: string
  readonly start: string
  readonly end: string
  readonly roomId: string | null
  readonly allDay: boolean
}

/** Working hours used for slots when the rooms say nothing narrower (local time). */
const WORKING_HOURS = { from: '08:00', to: '18:00' }

/** @returns [from, to) in ms. @throws DomainError 400 when reversed or longer than a year */
export function rangeOf(query: { from: string; to: string }): { from: number; to: number } {
  const from = parseTime(query.from, 'from')
  const to = parseTime(query.to, 'to')
  if (!(to > from) || to - from > MAX_RANGE_MS) {
    throw badRequest(
      '查询时间范围须为正且不超过一年 (the range must be positive and at most a year)',
    )
  }
  return { from, to }
}

/** @returns the user ids of a comma-separated list. @throws DomainError 400 beyond 500 or malformed */
export function userIdsOf(list: string): string[] {
  const ids = [
    ...new Set(
      list
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ]
  if (
    ids.length === 0 ||
    ids.length > MAX_ATTENDEES ||
    ids.some((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id))
  ) {
    throw badRequest(`人员列表无效，最多 ${MAX_ATTENDEES} 人 (1–${MAX_ATTENDEES} valid user ids)`)
  }
  return ids
}

/** @returns merged busy intervals (sorted, overlapping and touching blocks joined). */
export function merge(blocks: readonly Interval[]): Interval[] {
  const sorted = [...blocks].sort((a, b) => a.start - b.start)
  const merged: { start: number; end: number }[] = []
  for (const block of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && block.start <= last.end) {
      last.end = Math.max(last.end, block.end)
    } else {
      merged.push({ start: block.start, end: block.end })
    }
  }
  return merged
}

/** Calendars. */
export class CalendarService {
  constructor(
    private readonly stores: MeetingStores,
    private readonly rooms: MeetingRoomService,
    private readonly users: Pick<Storage['users'], 'byId'>,
  ) {}

  async mine(actor: RequestActor, query: { from: string; to: string }): Promise<Entry[]> {
    const { from, to } = rangeOf(query)
    const rows = await this.stores.meetings.calendar(actor.userId, from, to)
    return rows.map((row) => ({ ...entryOf(row), title: row.title, allDay: row.all_day === 1 }))
  }

  /** @returns the distinct meetings of my calendar in the range, with room and organiser names. */
  async mineForExport(
    actor: RequestActor,
    query: { from: string; to: string },
  ): Promise<{ view: IcsMeeting; extras: Omit<IcsExtras, 'now'> }[]> {
    const { from, to } = rangeOf(query)
    const rows = await this.stores.meetings.calendar(actor.userId, from, to)
    const events: { view: IcsMeeting; extras: Omit<IcsExtras, 'now'> }[] = []
    for (const meetingId of new Set(rows.map((row) => row.meeting_id))) {
      const meeting = await this.stores.meetings.byId(meetingId)
      if (meeting === null) {
        continue
      }
      const room = meeting.room_id === null ? null : await this.stores.rooms.byId(meeting.room_id)
      const organiser = await this.users.byId(meeting.organiser_id)
      events.push({
        view: {
          id: meeting.id,
          title: meeting.title,
          start: shanghaiIso(Number(meeting.start_at)),
          end: shanghaiIso(Number(meeting.end_at)),
          allDay: meeting.all_day === 1,
          recurrenceUntil:
            meeting.recurrence_until === null
              ? null
              : shanghaiIso(Number(meeting.recurrence_until)),
          onlineLink: meeting.online_link,
          organiserId: meeting.organiser_id,
          attendees: [],
          rsvps: [],
        },
        extras: { roomName: room?.name ?? null, organiserName: organiser?.display_name ?? '' },
      })
    }
    return events
  }

  /** @throws DomainError 404 unknown room; 403 a room the caller does not see */
  async room(
    actor: RequestActor,
    roomId: string,
    query: { from: string; to: string },
  ): Promise<Entry[]> {
    const { from, to } = rangeOf(query)
    const room = await this.stores.rooms.byId(roomId)
    if (room === null) {
      throw notFound('会议室')
    }
    if (!(await this.rooms.mayBook(actor.userId, room))) {
      throw forbidden('您无权查看此会议室 (you may not see this room)')
    }
    const rows = await this.stores.rooms.bookings([roomId], from, to)
    const titles = new Map<string, string>()
    for (const row of rows) {
      if (!titles.has(row.meeting_id)) {
        titles.set(row.meeting_id, (await this.stores.meetings.byId(row.meeting_id))?.title ?? '')
      }
    }
    return rows.map((row) => ({
      ...entryOf(row),
      title: titles.get(row.meeting_id) ?? '',
      allDay: false,
    }))
  }

  async freeBusy(query: {
    userIds: string
    from: string
    to: string
  }): Promise<Record<string, { start: string; end: string }[]>> {
    const { from, to } = rangeOf(query)
    const ids = userIdsOf(query.userIds)
    const rows = await this.stores.meetings.busy(ids, from, to)
    const busy: Record<string, { start: string; end: string }[]> = {}
    for (const id of ids) {
      busy[id] = merge(
        rows
          .filter((row) => row.user_id === id)
          .map((row) => ({ start: row.start_at, end: row.end_at })),
      ).map((block) => ({ start: shanghaiIso(block.start), end: shanghaiIso(block.end) }))
    }
    return busy
  }

  /** @returns the earliest slot of `minutes` in [from, to) free for everyone, with a free room. */
  async slot(
    actor: RequestActor,
    query: {
      userIds: string
      from: string
      to: string
      minutes: number
      capacity?: number | undefined
    },
  ): Promise<SlotSuggestion | null> {
    const { from, to } = rangeOf(query)
    const ids = userIdsOf(query.userIds)
    const length = query.minutes * 60_000
    const people = merge(
      (await this.stores.meetings.busy(ids, from, to)).map((row) => ({
        start: row.start_at,
        end: row.end_at,
      })),
    )
    const capacity = query.capacity ?? ids.length
    const rooms = (await this.rooms.visible(actor.userId)).filter(
      (room) => Number(room.capacity) >= capacity,
    )
    if (rooms.length === 0) {
      return null
    }
    const bookings = await this.stores.rooms.bookings(
      rooms.map((room) => room.id),
      from,
      to,
    )
    let best: SlotSuggestion | null = null
    let bestStart = Infinity
    for (const room of rooms) {
      const hours = narrower(hoursOf(room))
      const busy = [
        ...people,
        ...bookings
          .filter((row) => row.room_id === room.id)
          .map((row) => ({ start: Number(row.start_at), end: Number(row.end_at) })),
      ]
      const start = earliestFree(busy, from, to, length, hours)
      if (start !== null && start < bestStart) {
        bestStart = start
        best = { start: shanghaiIso(start), end: shanghaiIso(start + length), roomId: room.id }
      }
    }
    return best
  }
}

function entryOf(row: OccurrenceRow): Omit<Entry, 'title' | 'allDay'> {
  return {
    meetingId: row.meeting_id,
    start: shanghaiIso(Number(row.start_at)),
    end: shanghaiIso(Number(row.end_at)),
    roomId: row.room_id,
  }
}

/** @returns the room's hours within working hours. */
function narrower(hours: { from: string; to: string } | null): { from: string; to: string } {
  if (hours === null) {
    return WORKING_HOURS
  }
  return {
    from: minutesOf(hours.from) > minutesOf(WORKING_HOURS.from) ? hours.from : WORKING_HOURS.from,
    to: minutesOf(hours.to) < minutesOf(WORKING_HOURS.to) ? hours.to : WORKING_HOURS.to,
  }
}
