/**
 * Typed API errors and their user-facing messages. The relay answers `{ error: { code, message } }`
 * (shared/api.ts); the renderer shows its own translated text per code, using the server message
 * only for details it carries (the unlock time of a locked account, the broken password rule).
 */
import type { ErrorCode } from '../../../shared/api'

/** Every code an API error may carry (the approvals API's included, DESIGN §7). */
export type ApiErrorCode = ErrorCode

/** A failed API call: an HTTP error with a machine code, or `network` when the relay was unreachable. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode | 'network',
    message: string,
    readonly status: number,
    /** From `Retry-After` (429, 423): how long to wait before trying again, when the relay said. */
    readonly retryAfterSeconds: number | null = null,
    /** The relay's `error.details` when it sent some (a refused booking's `suggestions`). */
    readonly details: Readonly<Record<string, unknown>> | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** True when the request never got an answer (offline, relay down, DNS, CORS). */
  get isNetwork(): boolean {
    return this.code === 'network'
  }
}

const ERROR_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  'bad_request',
  'unauthorized',
  'invalid_credentials',
  'locked_out',
  'password_change_required',
  'weak_password',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'internal',
  'unknown_device',
  'revoked_device',
  'bad_signature',
  'invalid_action',
  'replayed',
  'not_assignee',
  'digest_mismatch',
  'too_late',
  'not_your_turn',
  'room_conflict',
  'not_invited',
  'token_expired',
  'bad_token',
  'checkin_closed',
])

/** @returns whether a string is one of the relay's error codes. */
export function isErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && ERROR_CODES.has(value)
}

const WAIT_IN_MESSAGE = /请\s*(\d+)\s*秒后|retry in (\d+) ?s/

/** @returns the seconds of a `Retry-After` header (delta-seconds), or null. */
export function retryAfterSeconds(header: string | null | undefined): number | null {
  if (header === null || header === undefined || !/^\d+$/.test(header.trim())) {
    return null
  }
  return Number(header.trim())
}

/**
 * Reads an error body. Anything that is not `{ error: { code, message } }` becomes `internal`
 * (for 5xx) or `bad_request`, so callers always get a code they can translate.
 * @param retryAfter the `Retry-After` header of the answer, if any
 */
export function parseErrorBody(
  status: number,
  body: unknown,
  retryAfter: string | null = null,
): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error
    if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
      const message = 'message' in error && typeof error.message === 'string' ? error.message : ''
      let wait = retryAfterSeconds(retryAfter)
      if (wait === null && error.code === 'rate_limited') {
        const match = WAIT_IN_MESSAGE.exec(message)
        wait = match === null ? null : Number(match[1] ?? match[2])
      }
      const details =
        'details' in error && typeof error.details === 'object' && error.details !== null
          ? // reason: a JSON object from the relay; readers check each field they use.
            (error.details as Record<string, unknown>)
          : null
      return new ApiError(error.code, message, status, wait, details)
    }
  }
  if (status === 401) {
    return new ApiError('unauthorized', '', status)
  }
  return new ApiError(status >= 500 ? 'internal' : 'bad_request', `HTTP ${status}`, status)
}

/** The screen an error is shown on: the same code can mean different things on different forms. */
export type ErrorContext =
  /** The login form. */
  | 'login'
  /** The set-new-password form: `invalid_credentials` means the old password was wrong. */
  | 'password'
  /** Any other call. */
  | 'general'

/** A message key of the `errors` i18n table and its named parameters. */
export interface ErrorMessage {
  readonly key: string
  readonly params: Readonly<Record<string, string>>
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/

/** @returns the first ISO timestamp inside a server message, or null. */
export function timeInMessage(message: string): Date | null {
  const match = ISO_TIME.exec(message)
  if (match === null) {
    return null
  }
  const date = new Date(match[0])
  return Number.isNaN(date.getTime()) ? null : date
}

/** @returns `HH:mm` for today, else `M月D日 HH:mm` (the unlock time of a locked account). */
export function formatClock(date: Date, now: Date = new Date()): string {
  const hh = String(date.getHours()).padStart(2, '0')
  const mm = String(date.getMinutes()).padStart(2, '0')
  if (date.toDateString() === now.toDateString()) {
    return `${hh}:${mm}`
  }
  return `${date.getMonth() + 1}月${date.getDate()}日 ${hh}:${mm}`
}

const PASSWORD_RULES: Readonly<Record<string, string>> = {
  too_short: 'errors.passwordTooShort',
  too_few_classes: 'errors.passwordTooFewClasses',
  contains_username: 'errors.passwordContainsUsername',
  too_common: 'errors.passwordTooCommon',
}

/**
 * @returns the Chinese and English halves of a relay message written `中文 (English)`; a message
 *   in one language only is both halves
 */
export function bilingual(message: string): { zh: string; en: string } {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(message)
  if (match === null || match[1] === '' || !/[\u4e00-\u9fff]/.test(match[1] ?? '')) {
    return { zh: message, en: message }
  }
  return { zh: match[1] ?? message, en: match[2] ?? message }
}

/**
 * @param problem a reason from shared `passwordProblem` (the form checks before sending)
 * @returns the message key of that broken rule
 */
export function passwordRuleKey(problem: string): string {
  return PASSWORD_RULES[problem] ?? 'errors.weakPassword'
}

/**
 * Maps an error to the message key the user sees.
 * @param error whatever a call threw (non-API errors become `errors.unknown`)
 * @param context the form the error is shown on
 */
export function errorMessage(error: unknown, context: ErrorContext = 'general'): ErrorMessage {
  if (!(error instanceof ApiError)) {
    return { key: 'errors.unknown', params: {} }
  }
  switch (error.code) {
    case 'network':
      return { key: 'errors.network', params: {} }
    case 'invalid_credentials': {
      if (context === 'password') {
        return { key: 'errors.oldPasswordWrong', params: {} }
      }
      // The failure that trips the lockout still answers 401, with the unlock time in the message.
      const until = timeInMessage(error.message)
      return until === null
        ? { key: 'errors.invalidCredentials', params: {} }
        : { key: 'errors.invalidCredentialsLocked', params: { time: formatClock(until) } }
    }
    case 'locked_out': {
      const until = timeInMessage(error.message)
      return until === null
        ? { key: 'errors.lockedOutNoTime', params: {} }
        : { key: 'errors.lockedOut', params: { time: formatClock(until) } }
    }
    case 'weak_password': {
      // The relay names the broken rule in its bilingual message; each language shows its half.
      if (error.message === '') {
        return { key: 'errors.weakPassword', params: {} }
      }
      const { zh, en } = bilingual(error.message)
      return { key: 'errors.weakPasswordDetail', params: { detail: zh, detailEn: en } }
    }
    case 'unauthorized':
      return {
        key: context === 'login' ? 'errors.invalidCredentials' : 'errors.unauthorized',
        params: {},
      }
    case 'password_change_required':
      return { key: 'errors.passwordChangeRequired', params: {} }
    case 'forbidden':
      return { key: 'errors.forbidden', params: {} }
    case 'not_found':
      return { key: 'errors.notFound', params: {} }
    case 'conflict':
      return { key: 'errors.conflict', params: {} }
    case 'rate_limited':
      return error.retryAfterSeconds === null
        ? { key: 'errors.rateLimited', params: {} }
        : { key: 'errors.rateLimitedRetry', params: { seconds: String(error.retryAfterSeconds) } }
    case 'bad_request':
      return { key: 'errors.badRequest', params: {} }
    case 'internal':
      return { key: 'errors.internal', params: {} }
    default:
      // The approvals API's codes (DESIGN §7), in plain words.
      return { key: `approval.error.${error.code}`, params: {} }
    // Meetings (DESIGN.md §8): the texts live in the meetings feature's table.
    case 'room_conflict':
      return { key: 'meetings.errors.roomConflict', params: {} }
    case 'not_invited':
      return { key: 'meetings.errors.notInvited', params: {} }
    case 'token_expired':
      return { key: 'meetings.errors.tokenExpired', params: {} }
    case 'bad_token':
      return { key: 'meetings.errors.badToken', params: {} }
    case 'checkin_closed':
      return { key: 'meetings.errors.checkinClosed', params: {} }
  }
}
