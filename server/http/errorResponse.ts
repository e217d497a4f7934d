/**
 * The HTTP face of domain errors: one table from each DomainError code to its status and the code
 * clients see, and the `{ error: { code, message } }` body (DESIGN.md §6). Only the app's error
 * handler uses it; services never name a status.
 */
import type { ErrorCode } from '../../shared/api'
import type { DomainError, DomainErrorCode } from '../domain/errors'

/** How one domain code is answered. */
export interface HttpError {
  readonly status: number
  /** The code clients see (shared/api.ts); the domain code itself unless the domain's is finer. */
  readonly code: ErrorCode
  /** Whether the error's `details` are sent to the client (`error.details`, §6); else logs only. */
  readonly exposeDetails?: boolean
}

/** Every domain error code, with its status. */
export const HTTP_ERRORS: { readonly [C in DomainErrorCode]: HttpError } = {
  bad_request: { status: 400, code: 'bad_request' },
  weak_password: { status: 400, code: 'weak_password' },
  // A wrong current password is a mistake in a form, not a failed sign-in: 400, so clients keep the
  // session (their set-password form reads invalid_credentials as "the old password was wrong").
  wrong_current_password: { status: 400, code: 'invalid_credentials' },
  unauthorized: { status: 401, code: 'unauthorized' },
  invalid_credentials: { status: 401, code: 'invalid_credentials' },
  forbidden: { status: 403, code: 'forbidden' },
  password_change_required: { status: 403, code: 'password_change_required' },
  not_found: { status: 404, code: 'not_found' },
  conflict: { status: 409, code: 'conflict' },
  locked_out: { status: 423, code: 'locked_out' },
  rate_limited: { status: 429, code: 'rate_limited' },
  internal: { status: 500, code: 'internal' },
  unavailable: { status: 503, code: 'internal' },
  // Meetings (DESIGN.md §8): a refused booking carries `details.suggestions`.
  room_conflict: { status: 409, code: 'room_conflict', exposeDetails: true },
  not_invited: { status: 403, code: 'not_invited' },
  token_expired: { status: 410, code: 'token_expired' },
  bad_token: { status: 403, code: 'bad_token' },
  checkin_closed: { status: 409, code: 'checkin_closed' },
}

/** What to send for a domain error. */
export interface ErrorReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: {
    readonly error: {
      readonly code: ErrorCode
      readonly message: string
      readonly details?: Readonly<Record<string, unknown>>
    }
  }
}

/** @returns the status, headers (`Retry-After`) and body of a domain error. */
export function errorReply(error: DomainError): ErrorReply {
  const { status, code, exposeDetails } = HTTP_ERRORS[error.code]
  const details = exposeDetails === true && error.details !== undefined ? error.details : undefined
  return {
    status,
    headers:
      error.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(error.retryAfterSeconds) },
    body: {
      error: { code, message: error.message, ...(details === undefined ? {} : { details }) },
    },
  }
}
