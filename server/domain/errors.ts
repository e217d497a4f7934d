/**
 * Domain errors: what a service throws when a command cannot go ahead. Each carries a machine
 * `code`, a message in Chinese first (English in brackets), and optionally `details` and
 * `retryAfterSeconds`. Services know nothing of HTTP: the edge (server/http/errorResponse.ts) maps
 * each code to a status, in one table.
 *
 * @example
 *   if (unit === null) throw notFound('单位')
 *   throw new DomainError('conflict', `单位代码 ${code} 已存在 (code taken)`)
 */
import type { ErrorCode } from '../../shared/api'

/**
 * The codes of domain errors: every code of the wire (shared/api.ts `ErrorCode`), plus finer ones
 * that the edge shows under a wire code clients already know.
 */
export type DomainErrorCode =
  | ErrorCode
  /** The current password given to a password change is wrong (shown as invalid_credentials, 400). */
  | 'wrong_current_password'
  /** Something the command needs is not running (yet); shown as internal, 503. */
  | 'unavailable'

/** What a DomainError may carry besides its code and message. */
export interface DomainErrorOptions {
  /** Facts a client or a log may use (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>
  /** When the caller may try again, in whole seconds (rate limits, lockouts). */
  readonly retryAfterSeconds?: number
  readonly cause?: unknown
}

/** A command refused or failed for a reason the domain names. */
export class DomainError extends Error {
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    // A domain error is an answer, not a fault: its stack is never shown (the edge maps its code;
    // a fault it wraps keeps its own in `cause`), and capturing one cost a refusal more than its
    // message (a burst of 200 refused bookings).
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    Error.stackTraceLimit = limit
    this.name = 'DomainError'
    this.details = options.details
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

/** bad_request with a message. */
export const badRequest = (message: string): DomainError => new DomainError('bad_request', message)

/** unauthorized: no session, or one that has ended. */
export const unauthorized = (): DomainError =>
  new DomainError('unauthorized', '未登录或登录已过期 (not signed in)')

/** forbidden with a message. */
export const forbidden = (message = '无权执行此操作 (forbidden)'): DomainError =>
  new DomainError('forbidden', message)

/** not_found for a kind of thing (`what` in Chinese, e.g. 文档). */
export const notFound = (what: string): DomainError =>
  new DomainError('not_found', `${what}不存在 (not found)`)

/** conflict with a message. */
export const conflict = (message: string): DomainError => new DomainError('conflict', message)

/** rate_limited, retry after `retryAfterMs` (DESIGN.md §6). */
export function rateLimited(retryAfterMs: number): DomainError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new DomainError(
    'rate_limited',
    `尝试过于频繁，请 ${seconds} 秒后再试 (too many attempts; retry in ${seconds} s)`,
    { retryAfterSeconds: seconds },
  )
}

/** locked_out until a time (ms since the epoch). */
export function lockedOut(until: number, now = Date.now()): DomainError {
  const when = new Date(until).toISOString()
  return new DomainError('locked_out', `账号已锁定，请于 ${when} 后重试 (locked until ${when})`, {
    retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
  })
}
