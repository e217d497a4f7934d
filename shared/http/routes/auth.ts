/** `/api/v1/auth`: sign in and out, who am I, my sessions, my password (DESIGN.md §6). */
import { z } from 'zod'
import { ACCOUNT_ROLES } from '../../domain/roles'
import type { AccountRole } from '../../domain/roles'
import { defineRoute } from '../contract'

/** An account role. */
export const AccountRoleSchema = z.enum(ACCOUNT_ROLES as [AccountRole, ...AccountRole[]])

/** The signed-in user as the API returns it. */
export const ApiUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(AccountRoleSchema).readonly(),
  unitId: z.string().nullable(),
  /** True until the user has replaced an activation code with a password of their own. */
  mustChangePassword: z.boolean(),
})
export type ApiUser = z.infer<typeof ApiUser>

/** POST /auth/login */
export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
})

/** The answer of POST /auth/login. */
export const LoginResponse = z.object({ token: z.string(), user: ApiUser })
export type LoginResponse = z.infer<typeof LoginResponse>

/** POST /auth/password */
export const ChangePasswordRequest = z.object({
  oldPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
})

/** One of my sessions. */
export const ApiSession = z.object({
  /** A short public id (not the token). */
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
})
export type ApiSession = z.infer<typeof ApiSession>

/**
 * `POST /api/v1/auth/login` → 200 the token and the user; 401 bad credentials; 423 locked out.
 * Idempotent for a client: sent again, it opens at worst one more session of the same user.
 */
export const login = defineRoute({
  method: 'POST',
  path: '/api/v1/auth/login',
  idempotent: true,
  body: LoginRequest,
  status: 200,
  response: LoginResponse,
})

/** `POST /api/v1/auth/logout` → 204; the token and its sockets stop working. */
export const logout = defineRoute({
  method: 'POST',
  path: '/api/v1/auth/logout',
  status: 204,
  response: z.null(),
})

/** `GET /api/v1/auth/me` → 200 `{ user }`; 401 once the session has ended. */
export const me = defineRoute({
  method: 'GET',
  path: '/api/v1/auth/me',
  status: 200,
  response: z.object({ user: ApiUser }),
})

/** `GET /api/v1/auth/sessions` → 200 the live sessions of my account. */
export const listSessions = defineRoute({
  method: 'GET',
  path: '/api/v1/auth/sessions',
  status: 200,
  response: z.object({ sessions: z.array(ApiSession) }),
})

/** `DELETE /api/v1/auth/sessions/:id` → 204; ends one of my sessions by its public id. */
export const revokeSession = defineRoute({
  method: 'DELETE',
  path: '/api/v1/auth/sessions/:id',
  params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
  status: 204,
  response: z.null(),
})

/** `POST /api/v1/auth/password` → 204; replaces the password (or the activation code). */
export const changePassword = defineRoute({
  method: 'POST',
  path: '/api/v1/auth/password',
  body: ChangePasswordRequest,
  status: 204,
  response: z.null(),
})
