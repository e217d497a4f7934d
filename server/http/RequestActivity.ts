/**
 * When the HTTP side is busy: background work that the answers do not wait for (a new meeting's
 * room projected after its booking was answered) waits for a quiet moment — no request being
 * answered, and none started for `quietMs` — so that a burst of requests is answered first and the
 * background catches up after it. The wait is bounded: work is never postponed for longer than
 * `maxWaitMs`, however busy the relay stays.
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

/** The requests being answered and the latest one's start, and waits for quiet after them. */
export class RequestActivity implements BackgroundPacing {
  private lastStart = Number.NEGATIVE_INFINITY
  /** Requests started whose response has not closed (finished, or its connection gone). */
  private open = 0
  private readonly closed = (): void => {
    this.open -= 1
  }

  constructor(
    private readonly quietMs = QUIET_MS,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  /** Marks the relay busy from the start of each of `app`'s requests until its response closes. */
  track(app: FastifyInstance): void {
    app.addHook('onRequest', (_request, reply, done) => {
      this.requestStarted()
      // 'close' comes once for every response: sent, failed, or its connection closed early.
      reply.raw.once('close', this.closed)
      this.open += 1
      done()
    })
  }

  /** Marks the relay busy now (a request's start). */
  requestStarted(): void {
    this.lastStart = performance.now()
  }

  /** @returns how many requests are being answered. */
  get answering(): number {
    return this.open
  }

  /**
   * @param since when the work was queued (performance.now()): the wait ends at most `maxWaitMs`
   *   after it, so a queue of pieces is not postponed `maxWaitMs` per piece (default: now)
   */
  async quiet(since: number = performance.now()): Promise<void> {
    const deadline = since + this.maxWaitMs
    for (;;) {
      const now = performance.now()
      // While requests are being answered, look again a quiet period later.
      const quietAt = this.open > 0 ? now + this.quietMs : this.lastStart + this.quietMs
      if (quietAt <= now || now >= deadline) {
        return
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(quietAt, deadline) - now))
    }
  }
}
