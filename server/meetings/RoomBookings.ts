/**
 * The bookings that wait, decided together: the requests queued while the previous booking
 * transaction runs (or within one turn of the event loop) go into ONE transaction that locks their
 * rooms once each, in the order of their ids (so two nodes batching the same rooms cannot deadlock),
 * reads each room's bookings over the batch's span once, then decides each request in turn, as
 * alone — its occurrences checked against its room's bookings, the earlier winners of the batch
 * included, then inserted with its audit entry, or refused with the clash. Exactly one request wins
 * a slot; a burst of 200 costs a few transactions (and commits, and audit-chain heads) instead of
 * 200. Transactions that audit run one at a time anyway (the audit chain's lock), so one queue for
 * every room costs no parallelism, and keeps a burst over many rooms from holding a database
 * connection per room while they wait for that lock. Should the shared transaction fail (a
 * database error in one request's writes), each request of the batch is tried again alone, so that
 * the error reaches only its own request.
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
  readonly roomId: string
  readonly job: BookingJob
  readonly resolve: (clash: Clash | null) => void
  readonly reject: (error: unknown) => void
}

/** Bookings of rooms, queued and decided in batches. */
export class RoomBookings {
  /** The requests waiting for the next transaction. */
  private readonly queue: Pending[] = []
  private draining = false

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
      this.queue.push({ roomId, job, resolve, reject })
      if (!this.draining) {
        this.draining = true
        // On SQLite a transaction runs to its end before the next request is even read: waiting a
        // turn of the event loop lets the requests of a burst that have arrived join this one.
        setImmediate(() => void this.drain())
      }
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

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH)
        try {
          await this.decide(batch)
        } catch (error) {
          // Not expected (decide answers every request itself); never leave one waiting.
          batch.forEach((pending) => pending.reject(error))
        }
      }
    } finally {
      this.draining = false
    }
  }

  /** Decides a batch in one transaction (each request alone again, should it fail). */
  private async decide(batch: readonly Pending[]): Promise<void> {
    let outcomes: (Clash | null)[]
    try {
      outcomes = await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(this.bindStores)
        const rooms = [...new Set(batch.map((pending) => pending.roomId))].sort()
        const booked = new Map<string, Interval[] | null>()
        for (const roomId of rooms) {
          await stores.rooms.lockForBooking(roomId)
          booked.set(roomId, await this.bookedOver(stores, roomId, batch))
        }
        const decided: (Clash | null)[] = []
        for (const { roomId, job } of batch) {
          const known = booked.get(roomId) ?? null
          const clash =
            known === null
              ? await findClash(stores, roomId, job.occurrences)
              : clashIn(known, job.occurrences)
          if (clash === null) {
            await job.write(uow, stores)
            known?.push(...job.occurrences)
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
        await this.decide([pending])
      }
      return
    }
    if (outcomes.includes(null)) {
      this.suggestions.changed()
    }
    batch.forEach((pending, i) => pending.resolve(outcomes[i] ?? null))
  }

  /**
   * Under the room's lock: its bookings over the span of the batch's requests for it, read once so
   * that each request is checked against them and the batch's earlier winners in memory; null (each
   * request checked occurrence by occurrence in the database) for a lone request, or one spanning
   * more than MAX_SPAN_MS (weekly meetings for months).
   */
  private async bookedOver(
    stores: MeetingStores,
    roomId: string,
    batch: readonly Pending[],
  ): Promise<Interval[] | null> {
    const mine = batch.filter((pending) => pending.roomId === roomId)
    const span = spanOf(mine)
    if (mine.length < 2 || !(span.start < span.end) || span.end - span.start > MAX_SPAN_MS) {
      return null
    }
    const rows = await stores.rooms.overlapping(roomId, span.start, span.end)
    return rows.map((row) => ({ start: Number(row.start_at), end: Number(row.end_at) }))
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
