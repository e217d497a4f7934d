/**
 * Reads what an upgrade request asks for from its request target, without ever throwing: the
 * target is whatever bytes a client sent (a malformed %-escape, an absolute URL with a broken host),
 * and one request must never end the relay. Also redacts tokens from URLs before they are logged.
 *
 * @example
 *   const target = parseSyncTarget(request.url)
 *   if (target.kind === 'sync') authenticate(target.roomName, target.token)
 */

/** What a request target asks for. */
export type SyncTarget =
  /** `/sync/<room>?token=…`, decoded. */
  | { readonly kind: 'sync'; readonly roomName: string; readonly token: string }
  /** Some other path: not the relay's to answer (404). */
  | { readonly kind: 'elsewhere' }
  /** Not a URL, or a sync path that does not decode (400). */
  | { readonly kind: 'malformed' }

const SYNC_PATH = /^\/sync\/([^/?]+)$/
/** Longest URL kept in a log line. */
const MAX_LOGGED_URL = 200

/** @returns the sync room and token a request target asks for; never throws. */
export function parseSyncTarget(target: string | undefined): SyncTarget {
  let url: URL
  try {
    // Origin-form (`/sync/…`) and absolute-form (`http://host/sync/…`) are both valid targets.
    url = new URL(target ?? '/', 'http://relay')
  } catch {
    return { kind: 'malformed' }
  }
  const match = SYNC_PATH.exec(url.pathname)
  const encoded = match?.[1]
  if (encoded === undefined) {
    return { kind: 'elsewhere' }
  }
  let roomName: string
  try {
    roomName = decodeURIComponent(encoded)
  } catch {
    return { kind: 'malformed' }
  }
  // URLSearchParams decodes leniently (a bad escape stays as it is); it does not throw.
  return { kind: 'sync', roomName, token: url.searchParams.get('token') ?? '' }
}

/** A run of base64url characters as long as a session token (32 random bytes: 43 characters). */
const TOKEN_SHAPED = /[A-Za-z0-9_-]{40,}/g

/** @returns `text` with every `token=` value and every token-shaped run replaced. */
export function redactSecrets(text: string): string {
  return text.replace(/(token=)[^&#;\s"']*/gi, '$1[redacted]').replace(TOKEN_SHAPED, '[redacted]')
}

/**
 * @returns `url` fit for a log line: every query value dropped (the token is one), any token-shaped
 * run elsewhere replaced, cut to a bounded length. Works on any string, URL or not.
 */
export function redactUrl(url: string | undefined): string {
  const redacted = redactSecrets((url ?? '').replace(/([?&;][^=&#;]*=)[^&#;]*/g, '$1…'))
  return redacted.length > MAX_LOGGED_URL ? `${redacted.slice(0, MAX_LOGGED_URL)}…` : redacted
}
