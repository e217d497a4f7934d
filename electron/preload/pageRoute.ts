/**
 * The page as `openRoute` (shared/ipc/appRoute.ts) sees it: a cancelable `qilu:navigate` event on
 * `window` that the app's router may take, else a load of the route on the page's own origin.
 */
import { NAVIGATE_EVENT } from '../../shared/ipc/appRoute'
import type { RoutablePage } from '../../shared/ipc/appRoute'

/** The parts of `window` a route needs. */
export interface RouteWindow {
  dispatchEvent(event: Event): boolean
  readonly location: { assign(url: string): void }
}

/** @returns the page of `win` (the preload's view of the window; the DOM is shared with the page). */
export function windowPage(win: RouteWindow): RoutablePage {
  return {
    // dispatchEvent answers false when a listener called preventDefault(): the router took it.
    offer: (route) =>
      !win.dispatchEvent(new CustomEvent(NAVIGATE_EVENT, { detail: route, cancelable: true })),
    load: (route) => win.location.assign(route),
  }
}
