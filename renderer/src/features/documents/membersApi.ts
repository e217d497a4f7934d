/** Calls of the members panel: who may open a document, and with which right. */
import type { DocumentMember, DocumentUnitMember, UserSummary } from '../../../../shared/api'
import { GRANTABLE_MEMBER_ROLES } from '../../../../shared/domain/roles'
import { api } from '../../api/client'

/** A role the owner can grant. */
export type GrantableRole = (typeof GRANTABLE_MEMBER_ROLES)[number]

/** @returns whether a select's value is a role the owner can grant. */
export function isGrantableRole(value: string): value is GrantableRole {
  return (GRANTABLE_MEMBER_ROLES as readonly string[]).includes(value)
}

function membersPath(documentId: string, userId?: string): string {
  const base = `/documents/${encodeURIComponent(documentId)}/members`
  return userId === undefined ? base : `${base}/${encodeURIComponent(userId)}`
}

/** @returns the members of a document. @throws ApiError */
export async function listMembers(documentId: string): Promise<DocumentMember[]> {
  return (await api.get<{ members: DocumentMember[] }>(membersPath(documentId))).members
}

/** Grants (or changes) a member's role. @throws ApiError */
export function setMember(
  documentId: string,
  userId: string,
  role: GrantableRole,
): Promise<DocumentMember> {
  return api.put<DocumentMember>(membersPath(documentId, userId), { role })
}

/** Removes a member. @throws ApiError */
export async function removeMember(documentId: string, userId: string): Promise<void> {
  await api.delete(membersPath(documentId, userId))
}

/** @returns up to 20 active users matching `query` on username or display name. @throws ApiError */
export async function searchUsers(query: string): Promise<UserSummary[]> {
  return (await api.get<{ users: UserSummary[] }>(`/users?q=${encodeURIComponent(query)}`)).users
}

function unitMembersPath(documentId: string, unitId?: string): string {
  const base = `/documents/${encodeURIComponent(documentId)}/unit-members`
  return unitId === undefined ? base : `${base}/${encodeURIComponent(unitId)}`
}

/** @returns the units granted a role on a document. @throws ApiError */
export async function listUnitMembers(documentId: string): Promise<DocumentUnitMember[]> {
  return (await api.get<{ unitMembers: DocumentUnitMember[] }>(unitMembersPath(documentId)))
    .unitMembers
}

/** Grants (or changes) a unit's role: it reaches everyone posted in the unit or below. @throws ApiError */
export function setUnitMember(
  documentId: string,
  unitId: string,
  role: GrantableRole,
): Promise<DocumentUnitMember> {
  return api.put<DocumentUnitMember>(unitMembersPath(documentId, unitId), { role })
}

/** Withdraws a unit's role. @throws ApiError */
export async function removeUnitMember(documentId: string, unitId: string): Promise<void> {
  await api.delete(unitMembersPath(documentId, unitId))
}
