/**
 * The HTTP face of domain errors: one table from each DomainError code to its status and the code
 * clients see, and the `{ error: { code, message } }` body (DESIGN.md §6). Only the app's error
 * handler uses it; services never name a status.
 */
import type { ErrorCode } from '../../shared/api'
import type { DomainError, DomainErrorCode } from '../domain/errors'
import { APPROVAL_ERROR_STATUS } from '../../shared/approvals/verdicts'

/** How one domain code is answered. */
export interface HttpError {
  readonly status: number
  /** The code clients see (shared/api.ts); the domain code itself unless the domain's is finer. */
  readonly code: ErrorCode
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
  unknown_device: { status: APPROVAL_ERROR_STATUS.unknown_device, code: 'unknown_device' },
  revoked_device: { status: APPROVAL_ERROR_STATUS.revoked_device, code: 'revoked_device' },
  bad_signature: { status: APPROVAL_ERROR_STATUS.bad_signature, code: 'bad_signature' },
  invalid_action: { status: APPROVAL_ERROR_STATUS.invalid_action, code: 'invalid_action' },
  replayed: { status: APPROVAL_ERROR_STATUS.replayed, code: 'replayed' },
  not_assignee: { status: APPROVAL_ERROR_STATUS.not_assignee, code: 'not_assignee' },
  digest_mismatch: { status: APPROVAL_ERROR_STATUS.digest_mismatch, code: 'digest_mismatch' },
  too_late: { status: APPROVAL_ERROR_STATUS.too_late, code: 'too_late' },
  not_your_turn: { status: APPROVAL_ERROR_STATUS.not_your_turn, code: 'not_your_turn' },
}

/** What to send for a domain error. */
export interface ErrorReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: { readonly error: { readonly code: ErrorCode; readonly message: string } }
}

/** @returns the status, headers (`Retry-After`) and body of a domain error. */
export function errorReply(error: DomainError): ErrorReply {
  const { status, code } = HTTP_ERRORS[error.code]
  return {
    status,
    headers:
      error.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(error.retryAfterSeconds) },
    body: { error: { code, message: error.message } },
  }
}
