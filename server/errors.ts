/** The relay's error type: every failure that reaches a client carries a code, a status and a message. */
import type { ErrorCode } from '../shared/api'

/** An error with an HTTP status and a machine code, rendered as `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** 400 with a message. */
export const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message)
/** 401: no or bad token. */
export const unauthorized = (): ApiError => new ApiError(401, 'unauthorized', '未登录或登录已过期 (not signed in)')
/** 403 with a message. */
export const forbidden = (message = '无权执行此操作 (forbidden)'): ApiError => new ApiError(403, 'forbidden', message)
/** 404 for a kind of thing. */
export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what}不存在 (not found)`)
