/**
 * Qilu Desk's offline service worker (web build only), on Workbox. The build
 * (renderer/vite.config.ts, `qilu-service-worker`) bundles this file into /sw.js and injects the
 * list of every file of the build with a revision for the unhashed ones.
 *
 * - Install: precaches the whole build (shell, lazy chunks, fonts), so documents open offline after
 *   a reload; a new build replaces the old files and drops those no longer listed.
 * - Navigations: network first, so a new deployment is seen at once; offline, the precached shell.
 * - Everything else of the build: from the precache. /api and /sync are never cached (data and
 *   sessions belong to the app's own stores).
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching'
import type { PrecacheEntry } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { NetworkFirst } from 'workbox-strategies'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] }

const SHELL = '/index.html'

self.addEventListener('install', () => {
  void self.skipWaiting()
})
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})

cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)

const pages = new NetworkFirst({ cacheName: 'qilu-pages', networkTimeoutSeconds: 10 })
registerRoute(
  new NavigationRoute(
    async (options) => {
      try {
        return await pages.handle(options)
      } catch {
        const shell = await matchPrecache(SHELL)
        if (shell !== undefined) {
          return shell
        }
        return Response.error()
      }
    },
    { denylist: [/^\/api\//, /^\/sync/] },
  ),
)
