/** Shapes of the HTTP JSON API (DESIGN.md §6), shared by the relay and its clients. */
import type { AccountRole, MemberRole } from './domain/roles'
import type { PhoneVisibility, UnitKind } from './domain/org'

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

/** A unit of the org tree. */
export interface ApiUnit {
  readonly id: string
  readonly parentId: string | null
  readonly kind: UnitKind
  readonly name: string
  readonly code: string
  readonly sortOrder: number
  /** Ids from the root down to this unit (inclusive). */
  readonly path: readonly string[]
}

/** A post (职务) of an account in a unit. */
export interface ApiPost {
  readonly unitId: string
  readonly title: string
  readonly primary: boolean
}

/** An account as the admin screens see it. */
export interface ApiAccount extends ApiUser {
  readonly active: boolean
  readonly phone: string | null
  readonly phoneVisibility: PhoneVisibility
  readonly posts: readonly ApiPost[]
  readonly lockedUntil: string | null
  readonly createdAt: string
}

/** A directory entry (通讯录). */
export interface DirectoryEntry {
  readonly id: string
  readonly displayName: string
  readonly username: string
  readonly pinyin: string
  readonly initials: string
  readonly posts: readonly { readonly unitId: string; readonly unitName: string; readonly title: string }[]
  /** Null when the account's setting hides it from the viewer. */
  readonly phone: string | null
}

/** One of my sessions. */
export interface ApiSession {
  /** A short public id (not the token). */
  readonly id: string
  readonly createdAt: string
  readonly lastSeenAt: string
  readonly userAgent: string | null
  readonly ip: string | null
  readonly current: boolean
}

/** One audit entry. */
export interface ApiAuditEntry {
  readonly id: number
  readonly at: string
  readonly actorId: string | null
  readonly actorName: string
  readonly action: string
  readonly target: string | null
  readonly detail: Record<string, unknown>
  readonly ip: string | null
  readonly hash: string
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
