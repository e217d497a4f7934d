/** Shapes of the HTTP JSON API (DESIGN.md §6), shared by the relay and its clients. */
import type { AccountRole, MemberRole } from './domain/roles'

/** The signed-in user as the API returns it. */
export interface ApiUser {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly roles: readonly AccountRole[]
  readonly unitId: string | null
  /** True until the user has replaced an activation code with a password of their own. */
  readonly mustChangePassword: boolean
}

/** POST /api/v1/auth/login response. */
export interface LoginResponse {
  readonly token: string
  readonly user: ApiUser
}

/** One row of GET /api/v1/documents. */
export interface DocumentSummary {
  readonly id: string
  readonly title: string
  readonly ownerId: string
  readonly ownerName: string
  /** The caller's role on the document. */
  readonly role: MemberRole
  readonly createdAt: string
  readonly updatedAt: string
}

/** One member of a document, as GET /api/v1/documents/<id>/members returns it. */
export interface DocumentMember {
  readonly userId: string
  readonly username: string
  readonly displayName: string
  readonly role: MemberRole
}

/** One row of GET /api/v1/users (people picker / directory search). */
export interface UserSummary {
  readonly id: string
  readonly username: string
  readonly displayName: string
}

/** The error body of every failed request. */
export interface ApiErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string }
}

/** Machine-readable error codes. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'locked_out'
  | 'password_change_required'
  | 'weak_password'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'internal'
