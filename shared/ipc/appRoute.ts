/**
 * Routes of the client that a desktop notification opens when clicked (`notify({ title, body,
 * route })`): a path of the web client with an optional query, e.g. `/approvals/42` or
 * `/todos?box=pending`. A route only ever names a page of the trusted origin: never a scheme, a
 * host (`//evil.example`), a backslash, a fragment or a `.`/`..` segment (encoded or not).
 *
 * Opening a route is the page's job: `openRoute` first offers it to the app as a cancelable
 * `qilu:navigate` event on `window` (the router handles it without a reload and prevents the
 * default); when nothing takes it, the page loads the route.
 *
 * @example
 *   window.addEventListener(NAVIGATE_EVENT, (event) => {
 *     if (event instanceof CustomEvent && typeof event.detail === 'string') {
 *       event.preventDefault()
 *       void router.push(event.detail)
 *     }
 *   })
 */

/** Longest route (characters). */
export const MAX_APP_ROUTE_LENGTH = 512

/** The DOM event (on `window`, cancelable, `detail`: the route) that asks the app to open a route. */
export const NAVIGATE_EVENT = 'qilu:navigate'

// Unreserved and sub-delimiter characters of RFC 3986, `:`, `@`, `/`, `?` and percent escapes:
// no space, no backslash, no `#`, nothing a browser would re-interpret.
const ROUTE = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|\?|$)/i
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/

/** @returns whether `value` is a route of the client a notification may open. */
export function isAppRoute(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_APP_ROUTE_LENGTH || !ROUTE.test(value)) {
    return false
  }
  const path = value.split('?', 1)[0] ?? ''
  return !DOT_SEGMENT.test(path) && !BAD_ESCAPE.test(value) && !/%2f|%5c/i.test(path)
}

/** The page as `openRoute` needs it (the window, behind a small interface so Node tests can run it). */
export interface RoutablePage {
  /** Dispatches the cancelable NAVIGATE_EVENT. @returns whether the app took it (prevented the default) */
  offer(route: string): boolean
  /** Loads the route in the page (full navigation on the same origin). */
  load(route: string): void
}

/**
 * Opens a route in the page: the app's router if it takes the event, a page load otherwise.
 * @returns what happened: `routed` (the app took it), `loaded`, or `refused` (not a route)
 */
export function openRoute(route: unknown, page: RoutablePage): 'routed' | 'loaded' | 'refused' {
  if (!isAppRoute(route)) {
    return 'refused'
  }
  if (page.offer(route)) {
    return 'routed'
  }
  page.load(route)
  return 'loaded'
}
