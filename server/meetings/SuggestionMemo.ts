/**
 * The suggestions of a refusal, computed once per (room, slot, the organiser's units) for a burst:
 * 200 requests for one taken slot read the rooms and bookings once, not 199 times. An entry lives
 * at most `ttlMs` (1 s): a booking or a room change on this node clears every entry at once
 * (`changed()`), and the time bound covers bookings made through another node of a cluster, which
 * this node does not hear of. Suggestions are advice (the booking of one is decided under the
 * room's lock like any other), so one a second old at most is acceptable; the refusal itself is
 * always decided from the database.
 *
 * @example
 *   const suggestions = await memo.get(key, () => suggest(stores, room, wanted, visibleRooms))
 *   memo.changed() // after every committed booking or room change
 */
import type { SlotSuggestion } from '../../shared/http/routes/meetings'

/** How long an entry may be served at most. */
const TTL_MS = 1000
/** Most entries kept (a burst over many slots cannot grow the memo without bound). */
const MAX_ENTRIES = 1000

interface Entry {
  readonly at: number
  readonly value: Promise<readonly SlotSuggestion[]>
}

/** Short-lived memo of refusals' suggestions, cleared by any booking change. */
export class SuggestionMemo {
  private readonly entries = new Map<string, Entry>()

  /** @param now a clock of elapsed time (not a business clock a test may freeze) */
  constructor(
    private readonly now: () => number = performance.now.bind(performance),
    private readonly ttlMs = TTL_MS,
  ) {}

  /** @returns the key of a room's slot as seen by an organiser with these units. */
  static key(roomId: string, start: number, end: number, units: readonly string[]): string {
    return `${roomId}|${start}|${end}|${[...units].sort().join(',')}`
  }

  /**
   * @returns the suggestions kept for `key`, or those `compute` finds (shared by the calls that
   *   ask while it runs; a change meanwhile drops it, so later calls compute anew)
   */
  get(
    key: string,
    compute: () => Promise<readonly SlotSuggestion[]>,
  ): Promise<readonly SlotSuggestion[]> {
    const now = this.now()
    const kept = this.entries.get(key)
    if (kept !== undefined && now - kept.at < this.ttlMs) {
      return kept.value
    }
    const value = compute()
    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.clear()
    }
    const entry: Entry = { at: now, value }
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
