/**
 * `qilu://` deep links (from mail, the OA portal, other business apps) mapped to a page of the web
 * client: `qilu://documents/42?tab=comments` opens `<trusted origin>/documents/42?tab=comments`.
 *
 * A link is untrusted input from any program on the machine, so it can only ever choose a path on
 * the trusted origin: never a host, a scheme, a `..` segment or a fragment.
 */

/** The URL scheme the app registers with the operating system. */
export const DEEP_LINK_SCHEME = 'qilu'

const MAX_LINK_LENGTH = 2048
const SEGMENT = /^[\p{L}\p{N}_.~:-]+$/u
// The URL parser resolves `..` (even as %2E%2E) before we see the path; refuse such links outright
// rather than open whatever they collapse to.
const DOT_SEGMENT = /(^|[/\\])(\.|%2e){1,2}([/\\?#]|$)/i

/**
 * @returns the path and query a `qilu://` link points to (e.g. `/documents/42?tab=comments`), or
 *   null when `link` is not a well-formed deep link.
 */
export function deepLinkPath(link: string): string | null {
  if (link.length > MAX_LINK_LENGTH || DOT_SEGMENT.test(link)) {
    return null
  }
  let url: URL
  try {
    url = new URL(link)
  } catch {
    return null
  }
  if (
    url.protocol !== `${DEEP_LINK_SCHEME}:` ||
    url.username !== '' ||
    url.password !== '' ||
    url.port !== ''
  ) {
    return null
  }
  // In `qilu://documents/42` the URL parser sees "documents" as the host; it is the first segment.
  const raw = [url.hostname, ...url.pathname.split('/')].filter((segment) => segment !== '')
  const segments: string[] = []
  for (const segment of raw) {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return null
    }
    if (!SEGMENT.test(decoded) || decoded === '.' || decoded === '..') {
      return null
    }
    segments.push(encodeURIComponent(decoded))
  }
  const query = url.searchParams.toString()
  return `/${segments.join('/')}${query === '' ? '' : `?${query}`}`
}

/** @returns the last `qilu://` argument of a command line (Windows and Linux pass links so), or null. */
export function findDeepLink(argv: readonly string[]): string | null {
  const prefix = `${DEEP_LINK_SCHEME}://`
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]
    if (arg !== undefined && arg.toLowerCase().startsWith(prefix)) {
      return arg
    }
  }
  return null
}

/** @returns the URL on `trustedOrigin` that `link` opens, or null when the link is not valid. */
export function deepLinkTarget(link: string, trustedOrigin: string): string | null {
  const path = deepLinkPath(link)
  return path === null ? null : new URL(path, trustedOrigin).href
}
