/**
 * Booking a room without double booking (DESIGN.md §8): inside the booking's transaction the room is
 * locked (PostgreSQL: its row FOR UPDATE; SQLite: the transaction began IMMEDIATE and holds the
 * write lock), then every occurrence is checked against the room's bookings as half-open intervals
 * [start, end), then inserted — so of two overlapping requests, the second sees the first
 * (RoomBookings.ts decides the requests queued meanwhile in one such transaction, one after
 * another; nothing is checked before it). The suggestions of a refusal are computed after the
 * transaction (BurstMemo.ts: once per slot for a burst). A refusal
 * is 409 `room_conflict` with `details.suggestions`: the next free slots of that room, then the same
 * time (or the next free one) in similar rooms (capacity at least as large, the same unit or
 * shared, visible to the organiser).
 */
import type { SlotSuggestion } from '../../shared/http/routes/meetings'
import { DomainError } from '../domain/errors'
import type { MeetingStores } from '../storage/meetings/stores'
import type { MeetingRoomRow, OccurrenceRow } from '../storage/meetings/RoomStore'
import { hoursOf } from './MeetingRoomService'
import { earliestFree, freeStarts, SEARCH_HORIZON_MS } from './slots'
import type { Interval } from './slots'
import { shanghaiIso } from './time'

/** How many suggestions a refusal offers: of the room itself, and of other rooms. */
const SAME_ROOM_SUGGESTIONS = 3
const OTHER_ROOMS = 3

/** A booking that overlaps a wanted occurrence. */
export interface Clash {
  readonly wanted: Interval
  readonly booked: Interval
}

/** @returns the first occurrence that overlaps a booking of the room, or null. */
export async function findClash(
  stores: MeetingStores,
  roomId: string,
  occurrences: readonly Interval[],
): Promise<Clash | null> {
  for (const wanted of occurrences) {
    const [row] = await stores.rooms.overlapping(roomId, wanted.start, wanted.end)
    if (row !== undefined) {
      return { wanted, booked: { start: Number(row.start_at), end: Number(row.end_at) } }
    }
  }
  return null
}

/**
 * @param booked the room's bookings (read under the room's lock), in any order
 * @returns the first occurrence that overlaps one of `booked` (the earliest such booking, as
 *   findClash reads it), or null
 */
export function clashIn(
  booked: readonly Interval[],
  occurrences: readonly Interval[],
): Clash | null {
  for (const wanted of occurrences) {
    let first: Interval | null = null
    for (const taken of booked) {
      if (taken.start < wanted.end && wanted.start < taken.end) {
        if (first === null || taken.start < first.start) {
          first = taken
        }
      }
    }
    if (first !== null) {
      return { wanted, booked: first }
    }
  }
  return null
}

/** @returns the 409 room_conflict of a clash, with its suggestions. */
export function conflictError(
  room: MeetingRoomRow,
  clash: Clash,
  suggestions: readonly SlotSuggestion[],
): DomainError {
  const from = shanghaiIso(clash.booked.start)
  const to = shanghaiIso(clash.booked.end)
  return new DomainError(
    'room_conflict',
    `会议室在 ${from} 至 ${to} 已被预订，请选择建议的时间或会议室 (the room is already booked then)`,
    { details: { suggestions: [...suggestions], roomId: room.id } },
  )
}

/** @returns the rooms a refusal offers besides its own: similar ones the organiser sees. */
export function similarRooms(
  room: MeetingRoomRow,
  visibleRooms: readonly MeetingRoomRow[],
): MeetingRoomRow[] {
  return visibleRooms
    .filter(
      (other) =>
        other.id !== room.id &&
        other.active === 1 &&
        Number(other.capacity) >= Number(room.capacity) &&
        (other.unit_id === room.unit_id || other.shared === 1),
    )
    .sort((a, b) => Number(a.capacity) - Number(b.capacity))
    .slice(0, OTHER_ROOMS)
}

/** @returns the span of bookings the suggestions for `wanted` are searched in. */
export function suggestionSpan(wanted: Interval): Interval {
  return {
    start: wanted.start,
    end: wanted.start + SEARCH_HORIZON_MS + (wanted.end - wanted.start),
  }
}

/** @returns bookings as busy blocks by room. */
export function busyByRoom(rows: readonly OccurrenceRow[]): Map<string, Interval[]> {
  const busy = new Map<string, Interval[]>()
  for (const row of rows) {
    const roomId = row.room_id ?? ''
    let blocks = busy.get(roomId)
    if (blocks === undefined) {
      blocks = []
      busy.set(roomId, blocks)
    }
    blocks.push({ start: Number(row.start_at), end: Number(row.end_at) })
  }
  return busy
}

/**
 * @param busy the bookings by room (busyByRoom), of the room and of `similar` over
 *   suggestionSpan(wanted) at least (others, of other rooms or times, are ignored)
 * @returns free slots of the same length near the wanted one: the room's next ones, then the
 *   earliest of each similar room
 */
export function suggestAmong(
  busy: ReadonlyMap<string, readonly Interval[]>,
  room: MeetingRoomRow,
  wanted: Interval,
  similar: readonly MeetingRoomRow[],
): SlotSuggestion[] {
  const length = wanted.end - wanted.start
  const until = wanted.start + SEARCH_HORIZON_MS
  const busyOf = (roomId: string): readonly Interval[] => busy.get(roomId) ?? []
  const slot = (start: number, roomId: string): SlotSuggestion => ({
    start: shanghaiIso(start),
    end: shanghaiIso(start + length),
    roomId,
  })
  const suggestions = freeStarts(
    busyOf(room.id),
    wanted.start,
    until,
    length,
    hoursOf(room),
    SAME_ROOM_SUGGESTIONS,
  ).map((start) => slot(start, room.id))
  for (const other of similar) {
    const start = earliestFree(busyOf(other.id), wanted.start, until, length, hoursOf(other))
    if (start !== null) {
      suggestions.push(slot(start, other.id))
    }
  }
  return suggestions
}
