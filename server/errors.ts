/** The relay's error type: every failure that reaches a client carries a code, a status and a message. */
import type { ErrorCode } from '../shared/api'

/** An error with an HTTP status and a machine code, rendered as `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Sent as `Retry-After` (429, 423): when the caller may try again, in whole seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** 429 rate_limited with Retry-After (DESIGN.md §6). */
export function rateLimited(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new ApiError(
    429,
    'rate_limited',
    `尝试过于频繁，请 ${seconds} 秒后再试 (too many attempts; retry in ${seconds} s)`,
    seconds,
  )
}

/** 423 locked_out until a time, with Retry-After. */
export function lockedOut(until: number): ApiError {
  const when = new Date(until).toISOString()
  return new ApiError(
    423,
    'locked_out',
    `账号已锁定，请于 ${when} 后重试 (locked until ${when})`,
    Math.max(1, Math.ceil((until - Date.now()) / 1000)),
  )
}

/** 400 with a message. */
export const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message)
/** 401: no or bad token. */
export const unauthorized = (): ApiError =>
  new ApiError(401, 'unauthorized', '未登录或登录已过期 (not signed in)')
/** 403 with a message. */
export const forbidden = (message = '无权执行此操作 (forbidden)'): ApiError =>
  new ApiError(403, 'forbidden', message)
/** 404 for a kind of thing. */
export const notFound = (what: string): ApiError =>
  new ApiError(404, 'not_found', `${what}不存在 (not found)`)
