/**
 * The bookings that wait, decided together: the requests queued while the previous booking
 * transaction runs (or within one turn of the event loop) go into ONE transaction that reads
 * everything the batch needs in a fixed number of queries — its rooms, locked in the order of
 * their ids (two nodes batching the same rooms cannot deadlock), the organisers' units, and the
 * rooms' bookings over the batch's span — then decides each request in turn, as alone: its room
 * exists and is active (404), the organiser may book it (403), it falls in the room's opening hours
 * (400), and its occurrences overlap none of the room's bookings nor the batch's earlier winners
 * (409); the requests that pass are inserted together, each with its audit entry. Exactly one
 * request wins a slot;
 * a burst of 200 costs a few transactions and about one query per request (its session) instead
 * of four: on PostgreSQL the pool's connections, and PostgreSQL's CPU, were what a burst queued
 * for. Transactions that audit run one at a time anyway (the audit chain's lock), so one queue for
 * every room costs no parallelism. Should the shared transaction fail (a database error in one
 * request's writes), each request of the batch is tried again alone, so that the error reaches
 * only its own request.
 *
 * A refusal's 409 comes from its clash, after the commit; its suggestions are computed once per
 * (room, slot, the organiser's units) for a burst, and the rooms of the organiser's units read
 * once (BurstMemo); every committed booking clears the suggestions, every room change both. The
 * suggestions a batch's refusals still need are found together, with one read of bookings.
 *
 * @example
 *   const room = await bookings.book({ roomId, organiserId, occurrences, meeting: rows,
 *     audit: { ...actor.event, action: 'meeting.create', target: id } })
 *   // or throws the 404, 403, 400 or 409
 */
import type { DomainError } from '../domain/errors'
import { badRequest, forbidden, notFound } from '../domain/errors'
import type { Storage } from '../storage/Storage'
import type { MeetingStores, MeetingStoresOn } from '../storage/meetings/stores'
import type { NewMeeting } from '../storage/meetings/MeetingStore'
import type { AuditEvent } from '../audit/events'
import type { MeetingRoomRow } from '../storage/meetings/RoomStore'
import { pathIds } from '../../shared/domain/org'
import {
  busyByRoom,
  clashIn,
  conflictError,
  findClash,
  similarRooms,
  suggestAmong,
  suggestionSpan,
} from './booking'
import type { Clash } from './booking'
import { withinHours } from './slots'
import type { Interval } from './slots'
import { bookableWith, hoursOf } from './MeetingRoomService'
import type { SlotSuggestion } from '../../shared/http/routes/meetings'
import { BurstMemo, slotKey, unitsKey } from './BurstMemo'

/** Most requests decided in one transaction (the rest wait for the next). */
const MAX_BATCH = 64
/** Refused slots starting within this of each other (ms) have their suggestions found together. */
const GROUP_SPAN_MS = 7 * 24 * 3_600_000
/** A batch whose occurrences span more than this (ms) reads its clashes occurrence by occurrence. */
const MAX_SPAN_MS = 31 * 24 * 3_600_000

/** One request to book a room. */
export interface BookingJob {
  readonly roomId: string
  /** Who books: the room must be theirs (one of their units') or shared. */
  readonly organiserId: string
  readonly occurrences: readonly Interval[]
  /** The rows written once the room is known to be free for it (with the batch's other winners). */
  readonly meeting: NewMeeting
  /** Its audit entry. */
  readonly audit: AuditEvent
}

interface Pending {
  readonly job: BookingJob
  readonly resolve: (room: MeetingRoomRow) => void
  readonly reject: (error: unknown) => void
}

/** A request refused for a clash. */
interface Clashed {
  readonly pending: Pending
  readonly decision: Extract<Decision, { kind: 'clash' }>
}

/** A refused slot whose suggestions are to be found. */
interface Wanted {
  readonly decision: Extract<Decision, { kind: 'clash' }>
  readonly resolve: (suggestions: readonly SlotSuggestion[]) => void
  readonly reject: (error: unknown) => void
}

/** What a batch's transaction read, and the occurrences its earlier requests won, by room. */
interface BatchState {
  readonly rooms: ReadonlyMap<string, MeetingRoomRow>
  readonly unitsOf: ReadonlyMap<string, readonly string[]>
  /** The rooms' bookings over the batch's span; null: read request by request. */
  readonly booked: ReadonlyMap<string, readonly Interval[]> | null
  readonly won: ReadonlyMap<string, readonly Interval[]>
}

/** How a request of a batch was decided. */
type Decision =
  | { readonly kind: 'booked'; readonly room: MeetingRoomRow }
  | { readonly kind: 'refused'; readonly error: DomainError }
  | {
      readonly kind: 'clash'
      readonly room: MeetingRoomRow
      readonly clash: Clash
      readonly units: readonly string[]
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
   * Books the room for `job` if the organiser may and none of its occurrences overlaps a booking.
   * @returns the room, once booked (committed)
   * @throws DomainError 404 no such active room; 403 a room the organiser may not book; 400
   *   outside its opening hours; 409 `room_conflict` with suggestions. The database's error of
   *   this request's own writes.
   */
  book(job: BookingJob): Promise<MeetingRoomRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject })
      if (!this.draining) {
        this.draining = true
        // On SQLite a transaction runs to its end before the next request is even read: waiting a
        // turn of the event loop lets the requests of a burst that have arrived join this one.
        setImmediate(() => void this.drain())
      }
    })
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
    let decisions: Decision[]
    try {
      decisions = await this.storage.unitOfWork(async (uow) => {
        const stores = uow.bind(this.bindStores)
        const roomIds = [...new Set(batch.map((pending) => pending.job.roomId))].sort()
        const rooms = new Map(
          (await stores.rooms.lockForBooking(roomIds)).map((room) => [room.id, room]),
        )
        const unitsOf = await this.unitsOfEach(stores, batch)
        const booked = await this.bookedOver(stores, [...rooms.keys()], batch)
        // The batch's winners are written at its end: the later requests check them in memory.
        const won = new Map<string, Interval[]>()
        const decided: Decision[] = []
        const winners: BookingJob[] = []
        for (const { job } of batch) {
          const decision = await this.decideOne(stores, job, { rooms, unitsOf, booked, won })
          if (decision.kind === 'booked') {
            winners.push(job)
            const mine = won.get(job.roomId)
            if (mine === undefined) {
              won.set(job.roomId, [...job.occurrences])
            } else {
              mine.push(...job.occurrences)
            }
          }
          decided.push(decision)
        }
        await stores.meetings.insertAll(winners.map((job) => job.meeting))
        uow.audit(...winners.map((job) => job.audit))
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
    if (decisions.some((decision) => decision.kind === 'booked')) {
      this.suggestions.changed()
    }
    const clashes: Clashed[] = []
    batch.forEach((pending, i) => {
      const decision = decisions[i]
      if (decision === undefined) {
        pending.reject(new Error('booking left undecided'))
      } else if (decision.kind === 'booked') {
        pending.resolve(decision.room)
      } else if (decision.kind === 'refused') {
        pending.reject(decision.error)
      } else {
        clashes.push({ pending, decision })
      }
    })
    this.refuse(clashes)
  }

  /**
   * Rejects the clashing requests of a batch with their 409 `room_conflict`, with suggestions among
   * the organiser's rooms: those kept from an earlier refusal of the slot, the others found
   * together (suggestTogether).
   */
  private refuse(clashes: readonly Clashed[]): void {
    const wanted: Wanted[] = []
    for (const { pending, decision } of clashes) {
      const { room, clash, units } = decision
      this.suggestions
        .get(
          slotKey(room.id, clash.wanted.start, clash.wanted.end, units),
          () => new Promise((resolve, reject) => wanted.push({ decision, resolve, reject })),
        )
        .then((found) => pending.reject(conflictError(room, clash, found)), pending.reject)
    }
    if (wanted.length > 0) {
      void this.suggestTogether(wanted)
    }
  }

  /**
   * Finds the suggestions of many refused slots with one read of bookings per week of slots: the
   * bookings of every room they offer, over all their search spans (a burst's 100 refusals of 100
   * slots read once, not 100 times).
   */
  private async suggestTogether(wanted: readonly Wanted[]): Promise<void> {
    const byStart = [...wanted].sort(
      (a, b) => a.decision.clash.wanted.start - b.decision.clash.wanted.start,
    )
    while (byStart.length > 0) {
      const first = byStart[0]!.decision.clash.wanted.start
      const cut = byStart.findIndex((w) => w.decision.clash.wanted.start - first > GROUP_SPAN_MS)
      const group = byStart.splice(0, cut === -1 ? byStart.length : cut)
      try {
        const similar = await Promise.all(
          group.map(async ({ decision }) =>
            similarRooms(
              decision.room,
              await this.visibleRooms.get(unitsKey(decision.units), () =>
                this.stores.rooms.visible(decision.units),
              ),
            ),
          ),
        )
        const roomIds = new Set<string>()
        let end = first
        group.forEach(({ decision }, i) => {
          roomIds.add(decision.room.id)
          similar[i]?.forEach((room) => roomIds.add(room.id))
          end = Math.max(end, suggestionSpan(decision.clash.wanted).end)
        })
        const busy = busyByRoom(await this.stores.rooms.bookings([...roomIds], first, end))
        group.forEach(({ decision, resolve }, i) => {
          resolve(suggestAmong(busy, decision.room, decision.clash.wanted, similar[i] ?? []))
        })
      } catch (error) {
        group.forEach(({ reject }) => reject(error))
      }
    }
  }

  /** One request against what its batch read and won before it. */
  private async decideOne(
    stores: MeetingStores,
    job: BookingJob,
    { rooms, unitsOf, booked, won }: BatchState,
  ): Promise<Decision> {
    const room = rooms.get(job.roomId)
    if (room === undefined || room.active !== 1) {
      return { kind: 'refused', error: notFound('会议室') }
    }
    const units = unitsOf.get(job.organiserId) ?? []
    if (!bookableWith(room, units)) {
      return {
        kind: 'refused',
        error: forbidden('您无权预订此会议室 (you may not book this room)'),
      }
    }
    const hours = hoursOf(room)
    if (!job.occurrences.every((o) => withinHours(o.start, o.end, hours))) {
      return {
        kind: 'refused',
        error: badRequest('会议时间超出会议室开放时间 (outside the room’s opening hours)'),
      }
    }
    const clash =
      (booked === null
        ? await findClash(stores, room.id, job.occurrences)
        : clashIn(booked.get(room.id) ?? [], job.occurrences)) ??
      clashIn(won.get(room.id) ?? [], job.occurrences)
    return clash === null ? { kind: 'booked', room } : { kind: 'clash', room, clash, units }
  }

  /** @returns the units whose rooms each organiser of the batch may book (theirs and those above). */
  private async unitsOfEach(
    stores: MeetingStores,
    batch: readonly Pending[],
  ): Promise<Map<string, readonly string[]>> {
    const organisers = [...new Set(batch.map((pending) => pending.job.organiserId))]
    const paths = await stores.rooms.unitPathsOfEach(organisers)
    return new Map(
      [...paths].map(([userId, held]) => [userId, [...new Set(held.flatMap((p) => pathIds(p)))]]),
    )
  }

  /**
   * Under the rooms' lock: their bookings over the span of the batch's requests, read once (one
   * query) so that each request is checked against them in memory; null (each request checked
   * occurrence by occurrence in the database) when the batch spans more than MAX_SPAN_MS (weekly
   * meetings for months). Either way the batch's earlier winners are checked in memory.
   */
  private async bookedOver(
    stores: MeetingStores,
    roomIds: readonly string[],
    batch: readonly Pending[],
  ): Promise<Map<string, Interval[]> | null> {
    const span = spanOf(batch)
    if (!(span.start < span.end) || span.end - span.start > MAX_SPAN_MS) {
      return null
    }
    const booked = new Map<string, Interval[]>(roomIds.map((id) => [id, []]))
    for (const row of await stores.rooms.bookings(roomIds, span.start, span.end)) {
      booked.get(row.room_id ?? '')?.push({ start: Number(row.start_at), end: Number(row.end_at) })
    }
    return booked
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
