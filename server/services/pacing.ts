/** How background work yields to requests being answered (see server/http/RequestActivity.ts). */

/** What background work waits on before each piece of it. */
export interface BackgroundPacing {
  /** Resolves when no request has started for a moment, or after a bounded wait. */
  quiet(): Promise<void>
}

/** Background work that waits for nothing (tests and tools without an HTTP side). */
export const NO_PACING: BackgroundPacing = { quiet: () => Promise.resolve() }
