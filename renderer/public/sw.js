/**
 * Qilu Desk offline service worker (web build only; hand-written, no build step).
 *
 * - On install: caches the app shell and every file of the build listed in /precache.json
 *   (emitted by renderer/vite.config.ts), so documents open offline even after a reload.
 * - Navigations: network first (a fresh index.html when online), the cached shell when offline.
 * - /assets/*: cache first (file names carry content hashes, so a cached file never goes stale).
 * - /api/ and /sync are never cached: data and sessions belong to the app's own stores.
 */

const CACHE = 'qilu-shell-v1'
const SHELL = '/index.html'

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  )
})

/** Caches the shell and the files of the current build; drops files of older builds. */
async function precache(withShell = true) {
  const cache = await caches.open(CACHE)
  if (withShell) {
    const shell = await fetch(SHELL, { cache: 'no-store' })
    if (!shell.ok) {
      throw new Error(`shell ${shell.status}`)
    }
    await cache.put(SHELL, shell)
  }
  let files = []
  try {
    const manifest = await fetch('/precache.json', { cache: 'no-store' })
    if (manifest.ok) {
      const body = await manifest.json()
      files = Array.isArray(body.files)
        ? body.files.filter((f) => typeof f === 'string' && f.startsWith('/'))
        : []
    }
  } catch {
    // No manifest (e.g. a build without the plugin): assets are cached as they are fetched.
  }
  const wanted = new Set(files.filter((f) => f !== SHELL))
  const present = new Set((await cache.keys()).map((request) => new URL(request.url).pathname))
  await Promise.all(
    [...wanted]
      .filter((file) => !present.has(file))
      .map((file) =>
        fetch(file)
          .then((response) => (response.ok ? cache.put(file, response) : undefined))
          .catch(() => undefined),
      ),
  )
  if (wanted.size > 0) {
    // Hashed assets of older builds are no longer referenced by the shell.
    await Promise.all(
      [...present]
        .filter((path) => path.startsWith('/assets/') && !wanted.has(path))
        .map((path) => cache.delete(path)),
    )
  }
}

function isBypassed(url) {
  return (
    url.origin !== self.location.origin ||
    url.pathname.startsWith('/api/') ||
    url.pathname.startsWith('/sync')
  )
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') {
    return
  }
  const url = new URL(request.url)
  if (isBypassed(url)) {
    return
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request, event))
    return
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request))
    return
  }
  event.respondWith(networkFirst(request))
})

/** Network first for pages; offline, the cached shell (the router takes it from there). */
async function navigate(request, event) {
  try {
    const response = await fetch(request)
    if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
      const cache = await caches.open(CACHE)
      await cache.put(SHELL, response.clone())
      // A new build may have been deployed: pick up its files while the user works.
      event.waitUntil(precache(false).catch(() => undefined))
    }
    return response
  } catch (error) {
    const cached = await caches.match(SHELL)
    if (cached) {
      return cached
    }
    throw error
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request)
  if (cached) {
    return cached
  }
  const response = await fetch(request)
  if (response.ok) {
    const cache = await caches.open(CACHE)
    await cache.put(request, response.clone())
  }
  return response
}

/** Other same-origin files (favicon, precache.json): fresh when possible, cached otherwise. */
async function networkFirst(request) {
  try {
    const response = await fetch(request)
    if (response.ok) {
      const cache = await caches.open(CACHE)
      await cache.put(request, response.clone())
    }
    return response
  } catch (error) {
    const cached = await caches.match(request)
    if (cached) {
      return cached
    }
    throw error
  }
}
