/**
 * The main process's security decisions as pure functions of URLs and origins, so they can be tested
 * without Electron. security.ts and ipc.ts wire them to Electron's hooks.
 */
import type { RendererTarget } from './config'

/** The frame an IPC message came from, as far as the policy cares. */
export interface SenderFrame {
  /** The URL of the frame's document. */
  readonly url: string
  /** Whether it is the top-level frame of its window. */
  readonly isMainFrame: boolean
}

/** @returns the origin of `url`, or null when it is not a URL or has an opaque origin. */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  // Opaque origins (file:, data:, about:, custom schemes) all serialise to "null" and must never
  // compare equal to each other.
  return parsed.origin === 'null' ? null : parsed.origin
}

/**
 * @returns whether an IPC message from `frame` may be served: it must come from the top-level frame
 *   of a document on the trusted origin. An iframe, even a same-origin one, gets nothing.
 */
export function isTrustedSender(frame: SenderFrame | null, trustedOrigin: string): boolean {
  if (frame === null || !frame.isMainFrame) {
    return false
  }
  const origin = originOf(frame.url)
  return origin !== null && origin === trustedOrigin
}

/** @returns whether the window may navigate to `url`: only within the trusted origin. */
export function navigationAllowed(url: string, trustedOrigin: string): boolean {
  const origin = originOf(url)
  return origin !== null && origin === trustedOrigin
}

/**
 * @returns whether `url` may be handed to the operating system (`shell.openExternal`): plain http(s)
 *   only, and no user info, which is how `https://gov.cn@evil.example` disguises its host.
 */
export function externalUrlAllowed(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return false
  }
  return parsed.hostname !== '' && parsed.username === '' && parsed.password === ''
}

/** What to do with a `window.open` / `target=_blank` request. */
export interface WindowOpenDecision {
  /** The app never opens a second window for page content. */
  readonly action: 'deny'
  /** A URL to open in the system browser instead, or null. */
  readonly openExternally: string | null
}

/** @returns the decision for a request to open `url` in a new window. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: externalUrlAllowed(url) ? url : null }
}

/**
 * @returns whether a web permission request is granted: notifications for the trusted origin,
 *   nothing else (camera, geolocation, clipboard reading, MIDI, HID, ...).
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string,
  trustedOrigin: string,
): boolean {
  return permission === 'notifications' && originOf(requestingUrl) === trustedOrigin
}

function socketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws')
}

/**
 * @returns the Content-Security-Policy the main process enforces on every response: scripts only
 *   from the renderer's own origin (no inline, no eval), connections only to the renderer and the
 *   relay (HTTP and their WebSocket forms), no plugins, no framing.
 */
export function buildContentSecurityPolicy(
  target: Pick<RendererTarget, 'trustedOrigin' | 'relayOrigin'> &
    Partial<Pick<RendererTarget, 'relayNodes'>>,
): string {
  const connect = new Set(["'self'", target.trustedOrigin, socketOrigin(target.trustedOrigin)])
  // The relay, and the other nodes of its deployment that sync sockets fail over to.
  for (const origin of [target.relayOrigin, ...(target.relayNodes ?? [])]) {
    connect.add(origin)
    connect.add(socketOrigin(origin))
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Element Plus and the editor position popovers and carets with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${[...connect].join(' ')}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** HTTP response headers as Electron's webRequest hands them over. */
export type ResponseHeaders = Record<string, string[]>

/**
 * @returns `headers` with `csp` added. A policy the server already sent is kept: the browser
 *   enforces every policy present, so the page gets the stricter of the two.
 */
export function withContentSecurityPolicy(
  headers: ResponseHeaders | undefined,
  csp: string,
): ResponseHeaders {
  const result: ResponseHeaders = { ...headers }
  // Header names arrive in whatever case the server used; add to the existing entry, not a twin.
  const key = Object.keys(result).find((name) => name.toLowerCase() === 'content-security-policy')
  if (key === undefined) {
    result['Content-Security-Policy'] = [csp]
    return result
  }
  result[key] = [...(result[key] ?? []), csp]
  return result
}
