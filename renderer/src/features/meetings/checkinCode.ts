/** When the organiser's screen fetches the next sign-in code (the relay rotates them). */

/** Fetch the next code this long before the current one expires (ms). */
export const REFRESH_EARLY_MS = 10_000
/** Never ask again sooner than this (ms), even for a code about to expire or a clock ahead. */
export const MIN_REFRESH_MS = 3_000
/** After a failed fetch, try again this much later (ms). */
export const RETRY_MS = 10_000

/**
 * @param expiresAt the current code's `expiresAt` (ISO 8601)
 * @param now this device's clock (ms)
 * @returns how long to wait before fetching the next code, so that the shown one is replaced
 *   before the relay stops accepting it
 */
export function refreshDelay(expiresAt: string, now: number): number {
  const expires = Date.parse(expiresAt)
  if (Number.isNaN(expires)) {
    return RETRY_MS
  }
  return Math.max(expires - now - REFRESH_EARLY_MS, MIN_REFRESH_MS)
}

/** @returns whole seconds until the code expires (0 once it has) */
export function secondsLeft(expiresAt: string, now: number): number {
  const expires = Date.parse(expiresAt)
  return Number.isNaN(expires) ? 0 : Math.max(0, Math.round((expires - now) / 1000))
}
