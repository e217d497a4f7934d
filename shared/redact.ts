/**
 * Scrubs secrets out of anything about to be logged: session tokens in URLs (`?token=…`), bearer
 * headers, and fields whose name says they hold a secret (password, token, activation code, …).
 * Used by the relay's and the desktop shell's loggers, so no log line anywhere carries one.
 *
 * @example
 *   redactText('/sync/doc:1?token=abc') // '/sync/doc:1?token=[redacted]'
 *   redactFields({ password: 'x', user: 'u' }) // { password: '[redacted]', user: 'u' }
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]'

/** Field names (lower case, without separators) whose values are always secrets. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'oldpassword',
  'newpassword',
  'token',
  'accesstoken',
  'refreshtoken',
  'activationcode',
  'authorization',
  'cookie',
  'secret',
  'privatekey',
  'apikey',
])

/** `token=…`, `password=…`, `code=…` in query strings and form bodies, up to the next separator
 * (a secret may hold `#`, so the value runs on to `&`, whitespace or a quote). */
const QUERY_SECRET = /([?&;\s](?:token|access_token|password|code|activation_code)=)[^&\s"']+/gi
/** `Bearer …` in headers that ended up in a string. */
const BEARER = /(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi

/** Deepest nesting scrubbed; deeper values are replaced (log fields are shallow in practice). */
const MAX_DEPTH = 6

/** @returns `text` with secrets in query strings and bearer headers replaced. */
export function redactText(text: string): string {
  return text.replace(QUERY_SECRET, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`)
}

function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name.toLowerCase().replace(/[-_\s]/g, ''))
}

/** @returns a copy of `value` with secret fields and secrets inside strings replaced. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return redactText(value)
  }
  if (value === null || typeof value !== 'object') {
    return value
  }
  if (depth >= MAX_DEPTH) {
    return '[too deep]'
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactValue(item, depth + 1))
  }
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) }
  }
  return redactFields(value as Record<string, unknown>, depth)
}

/** @returns a copy of a log record's fields with every secret replaced. */
export function redactFields(
  fields: Readonly<Record<string, unknown>>,
  depth = 0,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      isSecretField(key) && value !== null && value !== undefined && value !== ''
        ? REDACTED
        : redactValue(value, depth + 1)
  }
  return out
}
