/**
 * Errors of the relay. Services throw DomainErrors (server/domain/errors.ts); the HTTP edge maps
 * their codes to statuses (server/http/errorResponse.ts). The helpers are re-exported here for the
 * route modules that import them from this path.
 */
import type { ErrorCode } from '../shared/api'
import { DomainError } from './domain/errors'

export {
  DomainError,
  badRequest,
  conflict,
  forbidden,
  lockedOut,
  notFound,
  rateLimited,
  unauthorized,
} from './domain/errors'

/**
 * @deprecated A domain error that names its own HTTP status; being replaced by DomainError codes,
 * whose statuses are the edge's table.
 */
export class ApiError extends DomainError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    retryAfterSeconds?: number,
  ) {
    super(code, message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds })
    this.name = 'ApiError'
  }
}
