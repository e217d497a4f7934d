/** Type guards for API shapes read back from the local cache. */
import type { ApiUser, DocumentSummary } from '../../../shared/api'
import type { AccountRole, MemberRole } from '../../../shared/domain/roles'
import { ACCOUNT_ROLES } from '../../../shared/domain/roles'
import { isRecord, isStringArray } from './localCache'

const MEMBER_ROLES: readonly string[] = ['owner', 'editor', 'commenter', 'reader']

/** @returns whether `value` is a member role. */
export function isMemberRole(value: unknown): value is MemberRole {
  return typeof value === 'string' && MEMBER_ROLES.includes(value)
}

/** @returns whether `value` is an account role. */
export function isAccountRole(value: unknown): value is AccountRole {
  return typeof value === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(value)
}

/** @returns whether `value` looks like an ApiUser. */
export function isApiUser(value: unknown): value is ApiUser {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.username === 'string' &&
    typeof value.displayName === 'string' &&
    isStringArray(value.roles) &&
    value.roles.every(isAccountRole) &&
    (value.unitId === null || typeof value.unitId === 'string') &&
    typeof value.mustChangePassword === 'boolean'
  )
}

/** @returns whether `value` looks like a DocumentSummary. */
export function isDocumentSummary(value: unknown): value is DocumentSummary {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.ownerId === 'string' &&
    typeof value.ownerName === 'string' &&
    isMemberRole(value.role) &&
    typeof value.createdAt === 'string' &&
    typeof value.updatedAt === 'string'
  )
}

/** @returns whether `value` is a list of DocumentSummary. */
export function isDocumentList(value: unknown): value is DocumentSummary[] {
  return Array.isArray(value) && value.every(isDocumentSummary)
}
