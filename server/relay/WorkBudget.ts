/**
 * How much of the relay's time one connection may take: a token bucket of milliseconds spent
 * handling its messages, refilled at a fixed rate. A message counter cannot see a flood whose every
 * message is expensive, since the relay reads the next message only when it is done with the last
 * (its clock runs as slowly as the flood makes it); the time spent can.
 *
 * @example
 *   const started = performance.now()
 *   handle(message)
 *   if (!budget.spend(performance.now() - started, performance.now())) connection.close(rateLimited)
 */

/** Milliseconds of handling a connection may spend at once (a first sync of a large document). */
export const WORK_BURST_MS = 2000
/** Milliseconds of handling per second a connection may spend over time (a quarter of a core). */
export const WORK_MS_PER_SECOND = 250

/** A connection's budget of handling time. */
export class WorkBudget {
  private tokens: number
  private at: number | null = null

  constructor(
    private readonly burstMs = WORK_BURST_MS,
    private readonly msPerSecond = WORK_MS_PER_SECOND,
  ) {
    this.tokens = burstMs
  }

  /**
   * Spends `ms` of handling time, ending at `now` (performance.now()).
   * @returns false once the connection has spent more than its budget
   */
  spend(ms: number, now: number): boolean {
    if (this.at !== null) {
      this.tokens = Math.min(
        this.burstMs,
        this.tokens + ((now - this.at) / 1000) * this.msPerSecond,
      )
    }
    this.at = now
    this.tokens -= ms
    return this.tokens >= 0
  }
}
