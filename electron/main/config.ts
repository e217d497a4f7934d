/**
 * Where the window's renderer comes from, decided once at start-up from the environment.
 *
 * The desktop window loads the web client the relay serves (`QILU_SERVER_URL`, default
 * http://127.0.0.1:8080) rather than a copy packaged in the app: the renderer is the same build in
 * both, its API and sync sockets are then same-origin, the relay's CSP and service worker apply,
 * and the trusted origin that IPC and navigation checks compare against is a real origin (a
 * `file://` page has the opaque origin "null", which cannot tell our page from any other local
 * file). During `electron-vite dev`, `ELECTRON_RENDERER_URL` (the Vite dev server) wins.
 *
 * A deployment of several relay nodes may be listed, comma-separated
 * (`QILU_SERVER_URL=https://oa1.example.gov.cn,https://oa2.example.gov.cn`): the window loads the
 * first; the others are the nodes the renderer's sync sockets may reconnect to when the first goes
 * away (the relay advertises them too), so the window's connect policy lets them through.
 */

/** The relay URL used when `QILU_SERVER_URL` is unset. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080'

/** Where the renderer is loaded from and which origins the main process trusts. */
export interface RendererTarget {
  /** The URL the window loads. */
  readonly url: string
  /** The only origin allowed to call the bridge and to be navigated to. */
  readonly trustedOrigin: string
  /** The relay's origin (HTTP API and sync sockets); equals `trustedOrigin` outside dev. */
  readonly relayOrigin: string
  /** The origins of the deployment's other relay nodes (sync sockets fail over to them). */
  readonly relayNodes: readonly string[]
  /** Whether the renderer comes from the Vite dev server. */
  readonly dev: boolean
}

/**
 * @returns the renderer target for the given environment.
 * @throws Error when a configured URL is not http(s), so a typo fails at start rather than later.
 */
export function resolveRendererTarget(
  env: Readonly<Record<string, string | undefined>>,
): RendererTarget {
  const [first = DEFAULT_SERVER_URL, ...others] = (env.QILU_SERVER_URL || DEFAULT_SERVER_URL)
    .split(',')
    .map((entry) => entry.trim())
  const relay = parseHttpUrl('QILU_SERVER_URL', first)
  const relayNodes = [
    ...new Set(others.map((entry) => parseHttpUrl('QILU_SERVER_URL', entry).origin)),
  ].filter((origin) => origin !== relay.origin)
  const devUrl = env.ELECTRON_RENDERER_URL
  if (devUrl) {
    const dev = parseHttpUrl('ELECTRON_RENDERER_URL', devUrl)
    return {
      url: dev.href,
      trustedOrigin: dev.origin,
      relayOrigin: relay.origin,
      relayNodes,
      dev: true,
    }
  }
  return {
    url: relay.href,
    trustedOrigin: relay.origin,
    relayOrigin: relay.origin,
    relayNodes,
    dev: false,
  }
}

function parseHttpUrl(name: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`${name} must not carry credentials`)
  }
  return url
}
