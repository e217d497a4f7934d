/**
 * When the HTTP side is busy: background work that the answers do not wait for (a new meeting's
 * room projected after its booking was answered) waits for a quiet moment, so that a burst of
 * requests is answered first and the background catches up after it. The wait is bounded: work
 * is never postponed for longer than `maxWaitMs`, however busy the relay stays.
 *
 * @example
 *   const activity = new RequestActivity()
 *   activity.track(app)            // Fastify: every request marks the relay busy
 *   await activity.quiet()         // in a background loop, before each piece of work
 */
import { performance } from 'node:perf_hooks'
import type { FastifyInstance } from 'fastify'
import type { BackgroundPacing } from '../services/pacing'

/** No request started for this long (ms): the relay counts as quiet. */
export const QUIET_MS = 10
/** Background work waits at most this long (ms) for a quiet moment. */
export const MAX_WAIT_MS = 1000

/** The time of the latest request's start, and waits for quiet after it. */
export class RequestActivity implements BackgroundPacing {
  private lastStart = Number.NEGATIVE_INFINITY

  constructor(
    private readonly quietMs = QUIET_MS,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  /** Marks the relay busy at the start of each of `app`'s requests. */
  track(app: FastifyInstance): void {
    app.addHook('onRequest', (_request, _reply, done) => {
      this.requestStarted()
      done()
    })
  }

  /** Marks the relay busy now (a request's start). */
  requestStarted(): void {
    this.lastStart = performance.now()
  }

  /**
   * @param since when the work was queued (performance.now()): the wait ends at most `maxWaitMs`
   *   after it, so a queue of pieces is not postponed `maxWaitMs` per piece (default: now)
   */
  async quiet(since: number = performance.now()): Promise<void> {
    const deadline = since + this.maxWaitMs
    for (;;) {
      const now = performance.now()
      const quietAt = this.lastStart + this.quietMs
      if (quietAt <= now || now >= deadline) {
        return
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(quietAt, deadline) - now))
    }
  }
}
