/**
 * What a click on a desktop notification does, over a small window interface so it is tested
 * without Electron: bring the window forward (restore, show, focus), then ask its page to open the
 * notification's route (NAVIGATE_CHANNEL; the preload checks it again and hands it to the router).
 */
import { NAVIGATE_CHANNEL } from '../../../shared/ipc/contract'
import { isAppRoute } from '../../../shared/ipc/appRoute'

/** The parts of a BrowserWindow a notification click uses. */
export interface NotifiedWindow {
  isDestroyed(): boolean
  isMinimized(): boolean
  restore(): void
  show(): void
  focus(): void
  readonly webContents: { send(channel: string, ...args: unknown[]): void }
}

/**
 * Brings `window` forward and, for a valid route, tells its page to open it.
 * @param window the window that asked for the notification, or null when it is gone
 * @returns `opened` (forward, route sent), `focused` (forward, no route) or `gone`
 */
export function openFromNotification(
  window: NotifiedWindow | null,
  route: string | undefined,
): 'opened' | 'focused' | 'gone' {
  if (window === null || window.isDestroyed()) {
    return 'gone'
  }
  if (window.isMinimized()) {
    window.restore()
  }
  window.show()
  window.focus()
  // The route was validated when notify() was called; checked again as the last step before the page.
  if (route === undefined || !isAppRoute(route)) {
    return 'focused'
  }
  window.webContents.send(NAVIGATE_CHANNEL, route)
  return 'opened'
}
