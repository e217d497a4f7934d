/** How background work yields to requests being answered (see server/http/RequestActivity.ts). */

/** What background work waits on before each piece of it. */
export interface BackgroundPacing {
  /**
   * Resolves when no request has started for a moment, or a bounded time after `since` (when the
   * work was queued, performance.now(); default: now).
   */
  quiet(since?: number): Promise<void>
}

/** Background work that waits for nothing (tests and tools without an HTTP side). */
export const NO_PACING: BackgroundPacing = { quiet: () => Promise.resolve() }
