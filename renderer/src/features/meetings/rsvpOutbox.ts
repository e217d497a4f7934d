/**
 * RSVPs given while offline: a small outbox persisted on this device (one pending answer per
 * meeting, the latest wins) and sent when the relay can be reached again. An answer the relay
 * refuses (not a network failure) is dropped from the outbox and reported, never retried forever.
 *
 * @example
 *   const outbox = new RsvpOutbox(localStorage, `qilu:${userId}:meetings:rsvp-outbox`)
 *   outbox.put({ meetingId, response: 'accept' })
 *   await outbox.flush((entry) => call(rsvpMeeting, { params: { id: entry.meetingId }, body: … }))
 */
import type { RsvpResponse } from '../../../../shared/http/routes/meetings'

/** A queued answer. */
export interface QueuedRsvp {
  readonly meetingId: string
  readonly response: RsvpResponse
  readonly reason?: string
  readonly deputyId?: string
  /** When it was queued (ms). */
  readonly queuedAt: number
}

/** The storage the outbox keeps itself in (localStorage on the device). */
export interface OutboxStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** What flush did with each entry. */
export interface FlushResult {
  readonly sent: QueuedRsvp[]
  /** Refused by the relay (dropped), with the error. */
  readonly refused: { readonly entry: QueuedRsvp; readonly error: unknown }[]
  /** Still queued: the relay could not be reached. */
  readonly kept: QueuedRsvp[]
}

const RESPONSES = new Set(['accept', 'decline', 'tentative', 'deputy'])

function isQueued(value: unknown): value is QueuedRsvp {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const entry = value as Record<string, unknown>
  return (
    typeof entry.meetingId === 'string' &&
    typeof entry.response === 'string' &&
    RESPONSES.has(entry.response) &&
    typeof entry.queuedAt === 'number' &&
    (entry.reason === undefined || typeof entry.reason === 'string') &&
    (entry.deputyId === undefined || typeof entry.deputyId === 'string')
  )
}

/** A persisted RSVP outbox. */
export class RsvpOutbox {
  constructor(
    private readonly storage: OutboxStorage,
    private readonly key: string,
  ) {}

  /** @returns the queued answers, oldest first (a damaged store reads as empty). */
  list(): QueuedRsvp[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key) ?? '[]')
      return Array.isArray(parsed) ? parsed.filter(isQueued) : []
    } catch {
      return []
    }
  }

  /** @returns the queued answer of one meeting, if any. */
  pending(meetingId: string): QueuedRsvp | null {
    return this.list().find((entry) => entry.meetingId === meetingId) ?? null
  }

  /** Queues an answer, replacing an earlier one for the same meeting. */
  put(entry: Omit<QueuedRsvp, 'queuedAt'>, now: number = Date.now()): void {
    const rest = this.list().filter((queued) => queued.meetingId !== entry.meetingId)
    this.write([...rest, { ...entry, queuedAt: now }])
  }

  private write(entries: readonly QueuedRsvp[]): void {
    if (entries.length === 0) {
      this.storage.removeItem(this.key)
    } else {
      this.storage.setItem(this.key, JSON.stringify(entries))
    }
  }

  /**
   * Sends every queued answer in order. An entry whose send fails with `isNetwork(error)` stays
   * (and so do the ones after it: the relay is unreachable); any other failure drops it.
   */
  async flush(
    send: (entry: QueuedRsvp) => Promise<unknown>,
    isNetwork: (error: unknown) => boolean,
  ): Promise<FlushResult> {
    const result: FlushResult = { sent: [], refused: [], kept: [] }
    const entries = this.list()
    for (const [index, entry] of entries.entries()) {
      try {
        await send(entry)
        result.sent.push(entry)
      } catch (error) {
        if (isNetwork(error)) {
          result.kept.push(...entries.slice(index))
          break
        }
        result.refused.push({ entry, error })
      }
      // Persist progress after each entry, keeping any answer queued meanwhile (it replaced this one).
      this.write(this.list().filter((queued) => !isSame(queued, entry)))
    }
    return result
  }
}

function isSame(a: QueuedRsvp, b: QueuedRsvp): boolean {
  return a.meetingId === b.meetingId && a.queuedAt === b.queuedAt && a.response === b.response
}
