/**
 * Which page origins may open a sync socket (DESIGN.md §6 Origins). A browser sends `Origin` with
 * every WebSocket upgrade; a page of another site must not use a signed-in user's token through
 * it. Let through: the web client's own origin (the relay's address as the socket reached it, or
 * the `Host` the browser asked for, which is the relay's public name behind a proxy), hence also
 * the desktop window, which loads that web client; and the configured QILU_ALLOWED_ORIGINS. A
 * request without `Origin` is a native client, judged by its token alone.
 *
 * @example
 *   const policy = new OriginPolicy(config.allowedOrigins)
 *   if (!policy.allows(origin, request.headers.host, socket.localAddress, socket.localPort)) refuse(403)
 */

/** The origin policy of one relay. */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>

  /** @param allowed normalised origins (config.ts) */
  constructor(allowed: readonly string[] = []) {
    this.allowed = new Set(allowed)
  }

  /**
   * @param origin the request's Origin header
   * @param host the request's Host header
   * @param localAddress the relay's address the socket reached
   * @param localPort the relay's port the socket reached
   * @returns whether a page of `origin` may open a sync socket
   */
  allows(
    origin: string,
    host: string | undefined,
    localAddress: string | undefined,
    localPort: number | undefined,
  ): boolean {
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      // "null" (a file:// page, a sandboxed frame) and anything unparseable.
      return false
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return false
    }
    if (this.allowed.has(url.origin)) {
      return true
    }
    if (host !== undefined && sameHost(url, host)) {
      return true
    }
    if (localAddress === undefined || localPort === undefined) {
      return false
    }
    const address = localAddress.includes(':') ? `[${localAddress}]` : localAddress
    return sameHost(url, `${address}:${localPort}`)
  }
}

/** @returns whether `origin` names `host` (host[:port]), default ports and case aside. */
function sameHost(origin: URL, host: string): boolean {
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host
  } catch {
    return false
  }
}
