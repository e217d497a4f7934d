/**
 * Where the relay is. The web client is served by the relay itself, so it talks to its own origin;
 * the desktop shell may load the renderer from a file, in which case the relay address comes from
 * the `qilu:server` setting (default: a relay on this machine).
 */

const DEFAULT_DESKTOP_SERVER = 'http://127.0.0.1:8080'
const SERVER_SETTING = 'qilu:server'

/** @returns the relay's origin, e.g. `http://127.0.0.1:8080`, without a trailing slash. */
export function serverOrigin(): string {
  if (location.protocol === 'http:' || location.protocol === 'https:') {
    return location.origin
  }
  return (localStorage.getItem(SERVER_SETTING) ?? DEFAULT_DESKTOP_SERVER).replace(/\/+$/, '')
}

/** @returns the base URL of the relay's WebSocket endpoint; the provider appends `/<room>`. */
export function syncUrl(): string {
  const origin = new URL(serverOrigin())
  const scheme = origin.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${origin.host}/sync`
}
