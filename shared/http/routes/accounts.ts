/** `/api/v1/admin/users`: accounts as administrators manage them (scope checks are the relay's). */
import { z } from 'zod'
import { passwordProblem } from '../../domain/passwordPolicy'
import { defineRoute, queryNumber } from '../contract'
import { AccountRoleSchema, ApiUser } from './auth'
import { EntityId } from './org'

/** A post (职务) of an account in a unit. */
export const ApiPost = z.object({
  unitId: z.string(),
  title: z.string(),
  primary: z.boolean(),
})
export type ApiPost = z.infer<typeof ApiPost>

/** Who sees an account's phone number in the directory (shared/domain/org.ts PhoneVisibility). */
export const PhoneVisibilitySchema = z.enum(['public', 'unit', 'hidden'])

/** An account as the admin screens see it. */
export const ApiAccount = ApiUser.extend({
  active: z.boolean(),
  phone: z.string().nullable(),
  phoneVisibility: PhoneVisibilitySchema,
  posts: z.array(ApiPost).readonly(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
})
export type ApiAccount = z.infer<typeof ApiAccount>

const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'username may hold letters, digits, dot, dash and underscore')
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确 (invalid phone number)')
const post = z.object({
  unitId: EntityId,
  title: z.string().trim().min(1).max(64),
})

/** The fields of POST /admin/users that DESIGN.md §6 names, with the password policy. */
const CreateUserFields = z
  .object({
    username,
    displayName: z.string().trim().min(1).max(64),
    unitId: z.string().max(64).optional(),
    roles: z.array(AccountRoleSchema).max(8).optional(),
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

/** The extra fields of POST /admin/users beyond the §6 contract. */
const CreateAccountExtras = z.object({
  phone: phone.optional(),
  posts: z.array(post).max(10).optional(),
})

/**
 * POST /admin/users. An intersection rather than one object so that a problem of the §6 fields
 * (the password policy included) is reported before one of the extras.
 */
export const CreateUserRequest = CreateUserFields.and(CreateAccountExtras)

/** PATCH /admin/users/<id> */
export const UpdateAccountRequest = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  roles: z.array(AccountRoleSchema).max(8).optional(),
  phone: phone.nullable().optional(),
  phoneVisibility: PhoneVisibilitySchema.optional(),
  posts: z.array(post).max(10).optional(),
})

/** POST /admin/users/<id>/move */
export const MoveAccountRequest = z.object({ unitId: EntityId })

/** POST /admin/users/<id>/deactivate */
export const DeactivateRequest = z.object({
  successorId: EntityId.nullable().optional(),
})

/** GET /admin/users query. */
export const AccountListQuery = z.object({
  unitId: EntityId.optional(),
  q: z.string().max(64).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: queryNumber().int().min(1).max(500).default(50),
  offset: queryNumber().int().min(0).default(0),
})

const AccountParams = z.object({ id: EntityId })

/** `GET /api/v1/admin/users` → 200 a page of the accounts in the caller's scope. */
export const listAccounts = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/users',
  query: AccountListQuery,
  status: 200,
  response: z.object({ accounts: z.array(ApiAccount), total: z.number() }),
})

/**
 * `POST /api/v1/admin/users` → 201 the account (DESIGN.md §6); without a password, with the
 * one-time activation code its first login must replace.
 */
export const createAccount = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/users',
  body: CreateUserRequest,
  status: 201,
  response: ApiAccount.extend({ activationCode: z.string().optional() }),
})

/** `GET /api/v1/admin/users/:id` → 200 one account. */
export const getAccount = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/users/:id',
  params: AccountParams,
  status: 200,
  response: ApiAccount,
})

/** `PATCH /api/v1/admin/users/:id` → 200 the account with new names, roles, phone or posts. */
export const updateAccount = defineRoute({
  method: 'PATCH',
  path: '/api/v1/admin/users/:id',
  params: AccountParams,
  body: UpdateAccountRequest,
  status: 200,
  response: ApiAccount,
})

/** `POST /api/v1/admin/users/:id/move` → 200 the account in its new unit. */
export const moveAccount = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/users/:id/move',
  params: AccountParams,
  body: MoveAccountRequest,
  status: 200,
  response: ApiAccount,
})

/**
 * `POST /api/v1/admin/users/:id/deactivate` → 200 (DESIGN.md §6); live sockets close within 1 s and
 * a successor receives the documents the account owned.
 */
export const deactivateAccount = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/users/:id/deactivate',
  params: AccountParams,
  body: DeactivateRequest,
  status: 200,
  response: z.object({ id: z.string(), active: z.literal(false), transferred: z.number() }),
})

/** `POST /api/v1/admin/users/:id/reactivate` → 200 the account, active again. */
export const reactivateAccount = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/users/:id/reactivate',
  params: AccountParams,
  status: 200,
  response: ApiAccount,
})

/** `POST /api/v1/admin/users/:id/reset-password` → 200 a new one-time activation code. */
export const resetAccountPassword = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/users/:id/reset-password',
  params: AccountParams,
  status: 200,
  response: z.object({ activationCode: z.string() }),
})
