/**
 * Where the relay is. The web client is served by the relay itself, so it talks to its own origin;
 * the desktop shell may load the renderer from a file, in which case the relay address comes from
 * the `qilu:server` setting (default: a relay on this machine).
 *
 * A deployment of several nodes lists them (`QILU_NODES`, advertised by `GET /api/v1/health`);
 * the client remembers that list (`qilu:nodes`); its sync sockets reconnect to another node when
 * theirs goes away (collab/relayFailover.ts), and its reads and sign-in are sent to another node
 * when this one cannot be reached (api/client.ts).
 */

const DEFAULT_DESKTOP_SERVER = 'http://127.0.0.1:8080'
const SERVER_SETTING = 'qilu:server'
const NODES_SETTING = 'qilu:nodes'
/** More nodes than any deployment lists; a longer list is cut (each is tried in turn). */
const MAX_NODES = 32

/** @returns the relay's origin, e.g. `http://127.0.0.1:8080`, without a trailing slash. */
export function serverOrigin(): string {
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    return location.origin
  }
  return (localStorage.getItem(SERVER_SETTING) ?? DEFAULT_DESKTOP_SERVER).replace(/\/+$/, '')
}

/** @returns the WebSocket base URL of the relay at `origin` (`http://h:1` → `ws://h:1/sync`). */
function syncUrlOf(origin: string): string {
  const url = new URL(origin)
  const scheme = url.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${url.host}/sync`
}

/** @returns the base URL of the relay's WebSocket endpoint; the provider appends `/<room>`. */
export function syncUrl(): string {
  return syncUrlOf(serverOrigin())
}

/** @returns `value` as an http(s) origin, or null when it is not one. */
function asOrigin(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null
  }
  try {
    const url = new URL(value)
    return /^https?:$/.test(url.protocol) ? url.origin : null
  } catch {
    return null
  }
}

/**
 * Remembers the nodes a relay advertised (its `/health` answer's `nodes`); anything that is not a
 * list of http(s) origins is ignored, and an empty list forgets them.
 */
export function rememberRelayNodes(nodes: unknown): void {
  if (!Array.isArray(nodes)) {
    return
  }
  const origins = [...new Set(nodes.slice(0, MAX_NODES).map(asOrigin))].filter(
    (origin): origin is string => origin !== null,
  )
  try {
    if (origins.length === 0) {
      localStorage.removeItem(NODES_SETTING)
    } else {
      localStorage.setItem(NODES_SETTING, JSON.stringify(origins))
    }
  } catch {
    // Storage full or denied: this session fails over to nobody, as before.
  }
}

/**
 * @returns the http(s) origins of the deployment's other nodes, in the advertised order starting
 *   after this relay's (so that clients of different nodes spread over the rest)
 */
export function otherOrigins(): string[] {
  let stored: unknown = null
  try {
    stored = JSON.parse(localStorage.getItem(NODES_SETTING) ?? 'null')
  } catch {
    return []
  }
  if (!Array.isArray(stored)) {
    return []
  }
  const own = new URL(serverOrigin()).origin
  const origins = stored.map(asOrigin).filter((origin): origin is string => origin !== null)
  const at = origins.indexOf(own)
  const ordered = at < 0 ? origins : [...origins.slice(at + 1), ...origins.slice(0, at)]
  return ordered.filter((origin) => origin !== own)
}

/** @returns the WebSocket base URLs of the deployment's other nodes, as otherOrigins orders them */
export function otherSyncUrls(): string[] {
  return otherOrigins().map(syncUrlOf)
}

/**
 * @param serverUrl a relay WebSocket base URL chosen by the caller (tests), or undefined
 * @returns where a sync socket connects: the given URL alone, or this relay's /sync and the other
 *   nodes of its deployment to fail over to
 */
export function relayTarget(serverUrl?: string): { url: string; nodes: string[] } {
  return serverUrl === undefined
    ? { url: syncUrl(), nodes: otherSyncUrls() }
    : { url: serverUrl, nodes: [] }
}

/**
 * Asks this relay which nodes serve the deployment and remembers them. Failures leave what was
 * remembered (the relay may be the one that is down).
 */
export async function learnRelayNodes(): Promise<void> {
  try {
    const response = await fetch(`${serverOrigin()}/api/v1/health`)
    if (!response.ok) {
      return
    }
    const body: unknown = await response.json()
    if (typeof body === 'object' && body !== null && 'nodes' in body) {
      rememberRelayNodes(body.nodes)
    } else {
      rememberRelayNodes([])
    }
  } catch {
    // Offline or the relay is down: keep the list learned before.
  }
}
