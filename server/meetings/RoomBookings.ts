/**
 * The bookings that wait for one room, decided together: the requests queued for a room while its
 * previous transaction runs (or within one turn of the event loop) go into ONE transaction that
 * locks the room once, then decides each request in turn, as alone — its occurrences checked
 * against the room's bookings, the earlier winners of the batch included, then inserted with its
 * audit entry, or refused with the clash. Exactly one request wins a slot; a burst of 200 costs a
 * few transactions (and commits, and audit-chain heads) instead of 200. Should the shared
 * transaction fail (a database error in one request's writes), each request of the batch is tried
 * again alone, so that the error reaches only its own request.
 *
 * A refusal's 409 comes from its clash; its suggestions are computed once per (room, slot, the
 * organiser's units) for a burst, and the rooms of the organiser's units read once (BurstMemo);
 * every committed booking clears the suggestions, every room change both.
 *
 * @example
 *   const clash = await bookings.book(room.id, { occurrences, write: async (uow, stores) => {
 *     await stores.meetings.insert(meeting, rows, invitees, reminders)
 *     uow.audit({ ...actor.event, action: 'meeting.create', target: id })
 *   } })
 *   if (clash !== null) throw await bookings.refusal(room, clash, units)
 */
import type { DomainError } from '../domain/errors'
import type { Storage, UnitOfWork } from '../storage/Storage'
import type { MeetingStores, MeetingStoresOn } from '../storage/meetings/stores'
import type { MeetingRoomRow } from '../storage/meetings/RoomStore'
import { clashIn, conflictError, findClash, suggest } from './booking'
import type { Clash } from './booking'
import type { Interval } from './slots'
import type { SlotSuggestion } from '../../shared/http/routes/meetings'
import { BurstMemo, slotKey, unitsKey } from './BurstMemo'

/** Most requests decided in one transaction (the rest wait for the next). */
const MAX_BATCH = 64
/** A batch whose occurrences span more than this (ms) reads its clashes occurrence by occurrence. */
const MAX_SPAN_MS = 31 * 24 * 3_600_000

/** One request to book a room. */
export interface BookingJob {
  readonly occurrences: readonly Interval[]
  /** Writes the booking and its audit entry, once the room is known to be free for it. */
  readonly write: (uow: UnitOfWork, stores: MeetingStores) => Promise<void>
}

interface Pending {
  readonly job: BookingJob
  readonly resolve: (clash: Clash | null) => void
  readonly reject: (error: unknown) => void
}

/** Bookings of rooms, queued per room and decided in batches. */
export class RoomBookings {
  /** Per room, the requests waiting for its next transaction (present while one is planned). */
  private readonly queues = new Map<string, Pending[]>()

  constructor(
    private readonly storage: Storage,
    private readonly stores: MeetingStores,
    private readonly bindStores: MeetingStoresOn,
  ) {}

  /** Suggestions by slot and units (cleared by every booking and room change). */
  private readonly suggestions = new BurstMemo<readonly SlotSuggestion[]>()
  /** The rooms units see (cleared by every room change). */
  private readonly visibleRooms = new BurstMemo<readonly MeetingRoomRow[]>()

  /** Forgets what refusals shared: a room was made or changed. */
  roomsChanged(): void {
    this.suggestions.changed()
    this.visibleRooms.changed()
  }

  /**
   * Books the room for `job` unless one of its occurrences overlaps a booking.
   * @returns null once booked (committed), or the clash that refused it
   * @throws the database's error of this request's own writes
   */
  book(roomId: string, job: BookingJob): Promise<Clash | null> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { job, resolve, reject }
      const queue = this.queues.get(roomId)
      if (queue !== undefined) {
        queue.push(pending)
        return
      }
      this.queues.set(roomId, [pending])
      // On SQLite a transaction runs to its end before the next request is even read: waiting a
      // turn of the event loop lets the requests of a burst that have arrived join this one.
      setImmediate(() => void this.drain(roomId))
    })
  }

  /** @returns the 409 `room_conflict` of a clash, with suggestions among the organiser's rooms. */
  async refusal(
    room: MeetingRoomRow,
    clash: Clash,
    units: readonly string[],
  ): Promise<DomainError> {
    const key = slotKey(room.id, clash.wanted.start, clash.wanted.end, units)
    const suggestions = await this.suggestions.get(key, async () => {
      const visible = await this.visibleRooms.get(unitsKey(units), () =>
        this.stores.rooms.visible(units),
      )
      return suggest(this.stores, room, clash.wanted, visible)
    })
    return conflictError(room, clash, suggestions)
  }

  private async drain(roomId: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(roomId) ?? []
      if (queue.length === 0) {
        this.queues.delete(roomId)
        return
      }
      await this.decide(roomId, queue.splice(0, MAX_BATCH))
    }
  }

  /** Decides a batch in one transaction (each request alone again, should it fail). */
  private async decide(roomId: string, batch: readonly Pending[]): Promise<void> {
    let outcomes: (Clash | null)[]
    try {
      outcomes = await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(this.bindStores)
        await stores.rooms.lockForBooking(roomId)
        // Under the lock, the room's bookings over the batch's span are read once and each
        // request checked against them and the batch's earlier winners (one query, not one per
        // request); a lone request, or a batch spanning more than MAX_SPAN_MS (weekly meetings
        // for months), is checked occurrence by occurrence in the database as before.
        const span = spanOf(batch)
        const booked =
          batch.length > 1 && span.start < span.end && span.end - span.start <= MAX_SPAN_MS
            ? (await stores.rooms.overlapping(roomId, span.start, span.end)).map((row) => ({
                start: Number(row.start_at),
                end: Number(row.end_at),
              }))
            : null
        const decided: (Clash | null)[] = []
        for (const { job } of batch) {
          const clash =
            booked === null
              ? await findClash(stores, roomId, job.occurrences)
              : clashIn(booked, job.occurrences)
          if (clash === null) {
            await job.write(uow, stores)
            booked?.push(...job.occurrences)
          }
          decided.push(clash)
        }
        return decided
      })
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error)
        return
      }
      for (const pending of batch) {
        await this.decide(roomId, [pending])
      }
      return
    }
    if (outcomes.includes(null)) {
      this.suggestions.changed()
    }
    batch.forEach((pending, i) => pending.resolve(outcomes[i] ?? null))
  }
}

/** @returns the interval from the earliest start to the latest end of a batch's occurrences. */
function spanOf(batch: readonly Pending[]): Interval {
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  for (const { job } of batch) {
    for (const occurrence of job.occurrences) {
      start = Math.min(start, occurrence.start)
      end = Math.max(end, occurrence.end)
    }
  }
  return { start, end }
}
