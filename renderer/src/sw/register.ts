/**
 * Registers the offline service worker (public/sw.js) in the web build only: the desktop shell
 * loads its files from disk and has no use for it, and in development it would cache dev modules.
 */
import { isDesktop } from '../bridge'

/** Registers /sw.js once the page has loaded. */
export function registerServiceWorker(): void {
  // `import.meta.hot` exists only under the dev server (a build made with NODE_ENV=test still has
  // import.meta.env.PROD false, and must register the worker all the same).
  if (import.meta.hot !== undefined || isDesktop() || !('serviceWorker' in navigator)) {
    return
  }
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    return
  }
  const register = (): void => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Without it the app still works online; offline reloads are what is lost.
    })
  }
  if (document.readyState === 'complete') {
    register()
  } else {
    window.addEventListener('load', register, { once: true })
  }
}
