/**
 * How much of the relay's time one connection may take: a token bucket of milliseconds spent
 * handling its messages, refilled at a fixed rate. A message counter cannot see a flood whose every
 * message is expensive, since the relay reads the next message only when it is done with the last
 * (its clock runs as slowly as the flood makes it); the time spent can.
 *
 * @example
 *   if (!budget.allows(performance.now())) connection.close(rateLimited)
 *   const started = performance.now()
 *   handle(message)
 *   budget.spend(performance.now() - started)
 */

/** Milliseconds of handling a connection may spend at once (a first sync of a large document). */
export const WORK_BURST_MS = 2000
/** Milliseconds of handling per second a connection may spend over time (a quarter of a core). */
export const WORK_MS_PER_SECOND = 250

/**
 * A connection's budget of handling time. One message may cost more than what is left (a first
 * sync of a large document): it is handled, the budget goes into debt, and the connection's next
 * message is refused until the debt is repaid by the refill.
 */
export class WorkBudget {
  private tokens: number
  private at: number | null = null

  constructor(
    private readonly burstMs = WORK_BURST_MS,
    private readonly msPerSecond = WORK_MS_PER_SECOND,
  ) {
    this.tokens = burstMs
  }

  /** @returns whether a message may be handled at `now` (performance.now()): the budget is not in debt. */
  allows(now: number): boolean {
    if (this.at !== null) {
      this.tokens = Math.min(
        this.burstMs,
        this.tokens + ((now - this.at) / 1000) * this.msPerSecond,
      )
    }
    this.at = now
    return this.tokens > 0
  }

  /** Charges `ms` of handling. */
  spend(ms: number): void {
    this.tokens -= ms
  }
}
