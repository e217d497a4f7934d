/**
 * Free/busy of the required attendees while a meeting is being scheduled: each person's busy
 * blocks placed on the shown window, and which of them collide with the proposed time.
 */

/** A busy interval as the relay answers it (ISO 8601). */
export interface Busy {
  readonly start: string
  readonly end: string
}

/** A busy block placed on the window. */
export interface PlacedBusy {
  /** Offset and width as fractions (0…1) of the window. */
  readonly left: number
  readonly width: number
  readonly start: string
  readonly end: string
  /** Overlaps the proposed time [start, end). */
  readonly conflict: boolean
}

/** One person's row. */
export interface BusyRow {
  readonly userId: string
  readonly blocks: PlacedBusy[]
  readonly conflict: boolean
}

/** @returns whether [aStart, aEnd) and [bStart, bEnd) overlap (half-open: touching is free). */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd
}

/**
 * @param busy the relay's busy blocks by user id
 * @param userIds the rows, in the order shown (a person the relay knows nothing of has none)
 * @param window the shown window [from, to) in ms
 * @param proposed the proposed meeting [start, end) in ms, or null when none is set yet
 * @returns a row per person with the blocks inside the window, clipped to it
 */
export function busyRows(
  busy: Readonly<Record<string, readonly Busy[]>>,
  userIds: readonly string[],
  window: { readonly from: number; readonly to: number },
  proposed: { readonly start: number; readonly end: number } | null,
): BusyRow[] {
  const span = window.to - window.from
  return userIds.map((userId) => {
    const blocks = (busy[userId] ?? [])
      .map((block) => ({ block, start: Date.parse(block.start), end: Date.parse(block.end) }))
      .filter(({ start, end }) => overlaps(start, end, window.from, window.to))
      .sort((a, b) => a.start - b.start)
      .map(({ block, start, end }) => {
        const from = Math.max(start, window.from)
        const to = Math.min(end, window.to)
        return {
          left: (from - window.from) / span,
          width: (to - from) / span,
          start: block.start,
          end: block.end,
          conflict: proposed !== null && overlaps(start, end, proposed.start, proposed.end),
        }
      })
    // A collision outside the drawn window still counts (the window grows to show it: shownHours).
    const conflict =
      proposed !== null &&
      (busy[userId] ?? []).some((block) =>
        overlaps(Date.parse(block.start), Date.parse(block.end), proposed.start, proposed.end),
      )
    return { userId, blocks, conflict }
  })
}

/** The hours drawn by default: a working day, 07:00–21:00. */
export const DEFAULT_HOURS = { from: 7, to: 21 } as const

/**
 * @param dayStart the day's 00:00 (Asia/Shanghai) in ms
 * @param busy the relay's busy blocks by user id
 * @param proposed the proposed meeting [start, end) in ms, or null
 * @returns the whole hours to draw: 07:00–21:00, widened to the proposed time and every busy block
 *   of the day (an evening meeting and its collisions are shown, not cut off)
 */
export function shownHours(
  dayStart: number,
  busy: Readonly<Record<string, readonly Busy[]>>,
  proposed: { readonly start: number; readonly end: number } | null,
): { from: number; to: number } {
  const hour = 3_600_000
  const dayEnd = dayStart + 24 * hour
  let from: number = DEFAULT_HOURS.from
  let to: number = DEFAULT_HOURS.to
  const spans = Object.values(busy)
    .flat()
    .map((block) => ({ start: Date.parse(block.start), end: Date.parse(block.end) }))
  for (const span of proposed === null ? spans : [...spans, proposed]) {
    if (overlaps(span.start, span.end, dayStart, dayEnd)) {
      from = Math.min(from, Math.floor((Math.max(span.start, dayStart) - dayStart) / hour))
      to = Math.max(to, Math.ceil((Math.min(span.end, dayEnd) - dayStart) / hour))
    }
  }
  return { from, to }
}
