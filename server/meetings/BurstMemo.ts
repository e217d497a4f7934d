/**
 * What the refusals of a burst share, computed once: the suggestions of one (room, slot, the
 * organiser's units) — 200 requests for one taken slot read the rooms and bookings once, not 199
 * times — and the rooms an organiser's units see. An entry lives at most `ttlMs` (1 s): a booking
 * or a room change on this node clears every entry at once (`changed()`), and the time bound covers
 * changes made through another node of a cluster, which this node does not hear of. Suggestions are
 * advice (the booking of one is decided under the room's lock like any other), so one a second old
 * at most is acceptable; the refusal itself, and who may book a room, are always decided from the
 * database.
 *
 * @example
 *   const suggestions = await memo.get(slotKey(room.id, start, end, units), () => find(…))
 *   memo.changed() // after every committed booking or room change
 */

/** How long an entry may be served at most. */
const TTL_MS = 1000
/** Most entries kept (a burst over many slots cannot grow the memo without bound). */
const MAX_ENTRIES = 1000

interface Entry<T> {
  readonly at: number
  readonly value: Promise<T>
}

/** @returns the key of a set of units (in any order). */
export function unitsKey(units: readonly string[]): string {
  return [...units].sort().join(',')
}

/** @returns the key of a room's slot as seen by an organiser with these units. */
export function slotKey(roomId: string, start: number, end: number, units: readonly string[]) {
  return `${roomId}|${start}|${end}|${unitsKey(units)}`
}

/** Short-lived memo, cleared by any booking or room change. */
export class BurstMemo<T> {
  private readonly entries = new Map<string, Entry<T>>()

  /** @param now a clock of elapsed time (not a business clock a test may freeze) */
  constructor(
    private readonly now: () => number = performance.now.bind(performance),
    private readonly ttlMs = TTL_MS,
  ) {}

  /**
   * @returns the value kept for `key`, or what `compute` finds (shared by the calls that ask while
   *   it runs; a change meanwhile drops it, so later calls compute anew)
   */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.now()
    const kept = this.entries.get(key)
    if (kept !== undefined && now - kept.at < this.ttlMs) {
      return kept.value
    }
    const value = compute()
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.clear()
    }
    const entry: Entry<T> = { at: now, value }
    this.entries.set(key, entry)
    value.catch(() => {
      // A failed computation is not kept: the next refusal tries again.
      if (this.entries.get(key) === entry) {
        this.entries.delete(key)
      }
    })
    return value
  }

  /** Forgets every entry: a booking was made or a room changed. */
  changed(): void {
    this.entries.clear()
  }
}
