/** `/api/v1/documents/:id/members` and `/unit-members`: who may open a document, with which right. */
import { z } from 'zod'
import { GRANTABLE_MEMBER_ROLES } from '../../domain/roles'
import { defineRoute } from '../contract'
import { DocumentId, DocumentParams, MemberRoleSchema } from './documents'

/** A role the owner can grant. */
export const GrantableRoleSchema = z.enum(GRANTABLE_MEMBER_ROLES)

/** One member of a document. */
export const DocumentMember = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: MemberRoleSchema,
})
export type DocumentMember = z.infer<typeof DocumentMember>

/**
 * A unit granted a role on a document: every active account posted in the unit or below it has
 * the role, unless it holds a personal role.
 */
export const DocumentUnitMember = z.object({
  unitId: z.string(),
  unitName: z.string(),
  /** Ids from the root down to this unit (inclusive). */
  path: z.array(z.string()).readonly(),
  role: GrantableRoleSchema,
})
export type DocumentUnitMember = z.infer<typeof DocumentUnitMember>

/** PUT /documents/<id>/members/<userId> and /unit-members/<unitId> */
export const SetMemberRequest = z.object({ role: GrantableRoleSchema })

const MemberParams = z.object({ id: DocumentId, userId: z.string().min(1).max(64) })
const UnitMemberParams = z.object({ id: DocumentId, unitId: z.string().min(1).max(64) })

/** `GET /api/v1/documents/:id/members` → 200 the members. */
export const listMembers = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/members',
  params: DocumentParams,
  status: 200,
  response: z.object({ members: z.array(DocumentMember) }),
})

/** `PUT /api/v1/documents/:id/members/:userId` `{ role }` → 200 the member (DESIGN.md §6). */
export const setMember = defineRoute({
  method: 'PUT',
  path: '/api/v1/documents/:id/members/:userId',
  params: MemberParams,
  body: SetMemberRequest,
  status: 200,
  response: DocumentMember,
})

/** `DELETE /api/v1/documents/:id/members/:userId` → 204. */
export const removeMember = defineRoute({
  method: 'DELETE',
  path: '/api/v1/documents/:id/members/:userId',
  params: MemberParams,
  status: 204,
  response: z.null(),
})

/** `GET /api/v1/documents/:id/unit-members` → 200 the units granted a role (按单位). */
export const listUnitMembers = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/unit-members',
  params: DocumentParams,
  status: 200,
  response: z.object({ unitMembers: z.array(DocumentUnitMember) }),
})

/** `PUT /api/v1/documents/:id/unit-members/:unitId` `{ role }` → 200 the unit's grant. */
export const setUnitMember = defineRoute({
  method: 'PUT',
  path: '/api/v1/documents/:id/unit-members/:unitId',
  params: UnitMemberParams,
  body: SetMemberRequest,
  status: 200,
  response: DocumentUnitMember,
})

/** `DELETE /api/v1/documents/:id/unit-members/:unitId` → 204. */
export const removeUnitMember = defineRoute({
  method: 'DELETE',
  path: '/api/v1/documents/:id/unit-members/:unitId',
  params: UnitMemberParams,
  status: 204,
  response: z.null(),
})
