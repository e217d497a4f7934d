/** Calls of the members panel: who may open a document, and with which right. */
import type { DocumentMember, DocumentUnitMember, UserSummary } from '../../../../shared/api'
import { GRANTABLE_MEMBER_ROLES } from '../../../../shared/domain/roles'
import { call } from '../../api/call'
import {
  listMembers as listMembersRoute,
  listUnitMembers as listUnitMembersRoute,
  removeMember as removeMemberRoute,
  removeUnitMember as removeUnitMemberRoute,
  setMember as setMemberRoute,
  setUnitMember as setUnitMemberRoute,
} from '../../../../shared/http/routes/members'
import { searchUsers as searchUsersRoute } from '../../../../shared/http/routes/users'

/** A role the owner can grant. */
export type GrantableRole = (typeof GRANTABLE_MEMBER_ROLES)[number]

/** @returns whether a select's value is a role the owner can grant. */
export function isGrantableRole(value: string): value is GrantableRole {
  return (GRANTABLE_MEMBER_ROLES as readonly string[]).includes(value)
}

/** @returns the members of a document. @throws ApiError */
export async function listMembers(documentId: string): Promise<DocumentMember[]> {
  return (await call(listMembersRoute, { params: { id: documentId } })).members
}

/** Grants (or changes) a member's role. @throws ApiError */
export function setMember(
  documentId: string,
  userId: string,
  role: GrantableRole,
): Promise<DocumentMember> {
  return call(setMemberRoute, { params: { id: documentId, userId }, body: { role } })
}

/** Removes a member. @throws ApiError */
export async function removeMember(documentId: string, userId: string): Promise<void> {
  await call(removeMemberRoute, { params: { id: documentId, userId } })
}

/** @returns up to 20 active users matching `query` on username or display name. @throws ApiError */
export async function searchUsers(query: string): Promise<UserSummary[]> {
  return (await call(searchUsersRoute, { query: { q: query } })).users
}

/** @returns the units granted a role on a document. @throws ApiError */
export async function listUnitMembers(documentId: string): Promise<DocumentUnitMember[]> {
  return (await call(listUnitMembersRoute, { params: { id: documentId } })).unitMembers
}

/** Grants (or changes) a unit's role: it reaches everyone posted in the unit or below. @throws ApiError */
export function setUnitMember(
  documentId: string,
  unitId: string,
  role: GrantableRole,
): Promise<DocumentUnitMember> {
  return call(setUnitMemberRoute, { params: { id: documentId, unitId }, body: { role } })
}

/** Withdraws a unit's role. @throws ApiError */
export async function removeUnitMember(documentId: string, unitId: string): Promise<void> {
  await call(removeUnitMemberRoute, { params: { id: documentId, unitId } })
}
