/**
 * Shapes of the HTTP JSON API (DESIGN.md §6), shared by the relay and its clients. Each is the type
 * of a zod schema declared with its routes in shared/http/routes/<area>.ts (one declaration: the
 * relay serialises every answer through the schema); the error shape and codes are declared here.
 */
export type { ApiUser, ApiSession, LoginResponse } from './http/routes/auth'
export type { UserSummary } from './http/routes/users'
export type { ApiUnit } from './http/routes/org'
export type { ApiAccount, ApiPost } from './http/routes/accounts'
export type { DirectoryEntry } from './http/routes/directory'
export type { ApiAuditEntry, AuditChainProblem, AuditVerifyReport } from './http/routes/audit'
export type { ImportProgress, ImportReport, ImportRowError } from './http/routes/imports'
export type { DocumentSearchHit, DocumentSummary, TrashedDocument } from './http/routes/documents'
export type { DocumentMember, DocumentUnitMember } from './http/routes/members'
export type {
  ApiPerson,
  DocumentAuthor,
  DocumentStateBody,
  DocumentVersion,
  DocumentVersionBody,
  VersionKind,
} from './http/routes/versions'
export type { InboxItem, InboxItemKind, InboxPage } from './http/routes/inbox'
export type { MetricsSnapshot } from './http/routes/system'

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
  /** Approvals (DESIGN §7, shared/approvals/verdicts.ts). */
  | 'unknown_device'
  | 'revoked_device'
  | 'bad_signature'
  | 'invalid_action'
  | 'replayed'
  | 'not_assignee'
  | 'digest_mismatch'
  | 'too_late'
  | 'not_your_turn'
  // Meetings (DESIGN.md §8).
  | 'room_conflict'
  | 'not_invited'
  | 'token_expired'
  | 'bad_token'
  | 'checkin_closed'
