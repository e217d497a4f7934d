/**
 * Where the route modules import error helpers from. Services throw DomainErrors
 * (server/domain/errors.ts); the HTTP edge maps their codes to statuses
 * (server/http/errorResponse.ts).
 */
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
