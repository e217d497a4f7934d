/** Request schemas shared by the relay (which enforces them) and the client (which pre-checks forms). */
import { z } from 'zod'
import { ACCOUNT_ROLES, GRANTABLE_MEMBER_ROLES } from './domain/roles'
import type { AccountRole } from './domain/roles'
import { MAX_TITLE_LENGTH } from './limits'
import { passwordProblem } from './domain/passwordPolicy'
import { DOC_TYPE_IDS } from './gongwen/docTypes'

const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'username may hold letters, digits, dot, dash and underscore')

/** POST /auth/login */
export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
})

/** POST /auth/password */
export const ChangePasswordRequest = z.object({
  oldPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
})

/** POST /admin/users */
export const CreateUserRequest = z
  .object({
    username,
    displayName: z.string().trim().min(1).max(64),
    unitId: z.string().max(64).optional(),
    roles: z
      .array(z.enum(ACCOUNT_ROLES as [AccountRole, ...AccountRole[]]))
      .max(8)
      .optional(),
    password: z.string().max(256).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.password === undefined) {
      return
    }
    const problem = passwordProblem(value.password, value.username)
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
    }
  })

/** POST /documents */
export const CreateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
  /** 文种: the document starts from its template (shared/gongwen/templates.ts); omitted, it starts empty. */
  docType: z.enum(DOC_TYPE_IDS, { message: '文种无效 (unknown document type)' }).optional(),
})

/** PATCH /documents/<id> */
export const UpdateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
})

/** PUT /documents/<id>/members/<userId> */
export const SetMemberRequest = z.object({
  role: z.enum(GRANTABLE_MEMBER_ROLES),
})

const unitKind = z.enum(['province', 'city', 'county', 'township', 'department'])
const accountRole = z.enum(ACCOUNT_ROLES as [AccountRole, ...AccountRole[]])
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确 (invalid phone number)')
const post = z.object({
  unitId: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(64),
})

/** POST /admin/units */
export const CreateUnitRequest = z.object({
  parentId: z.string().min(1).max(64).nullable(),
  kind: unitKind,
  name: z.string().trim().min(1).max(100),
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]{1,32}$/,
      '单位代码只能包含字母、数字、下划线和连字符 (code: letters, digits, _ and -)',
    ),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
})

/** PATCH /admin/units/<id> */
export const UpdateUnitRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
})

/** POST /admin/units/<id>/move and /admin/users/<id>/move */
export const MoveRequest = z.object({ parentId: z.string().min(1).max(64) })

/** POST /admin/users/<id>/move */
export const MoveAccountRequest = z.object({ unitId: z.string().min(1).max(64) })

/** PATCH /admin/users/<id> */
export const UpdateAccountRequest = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  roles: z.array(accountRole).max(8).optional(),
  phone: phone.nullable().optional(),
  phoneVisibility: z.enum(['public', 'unit', 'hidden']).optional(),
  posts: z.array(post).max(10).optional(),
})

/** POST /admin/users/<id>/deactivate */
export const DeactivateRequest = z.object({
  successorId: z.string().min(1).max(64).nullable().optional(),
})

/** The extra fields of POST /admin/users beyond the §6 contract. */
export const CreateAccountExtras = z.object({
  phone: phone.optional(),
  posts: z.array(post).max(10).optional(),
})

/** POST /documents/<id>/versions */
export const CreateVersionRequest = z.object({
  name: z.string().trim().min(1, '请填写版本名称 (name required)').max(100),
})

/** GET /documents query: search and filters. */
export const DocumentListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  filter: z.enum(['all', 'mine', 'shared']).optional(),
  docType: z.string().trim().min(1).max(32).optional(),
  status: z.string().trim().min(1).max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

/** GET /inbox query. */
export const InboxQuery = z.object({
  unread: z.enum(['0', '1', 'true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Items created before this ISO time (paging). */
  before: z.string().datetime().optional(),
})
