/** Request schemas shared by the relay (which enforces them) and the client (which pre-checks forms). */
import { z } from 'zod'
import { ACCOUNT_ROLES, GRANTABLE_MEMBER_ROLES } from './domain/roles'
import { MAX_TITLE_LENGTH } from './limits'
import { passwordProblem } from './domain/passwordPolicy'

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
    roles: z.array(z.enum(ACCOUNT_ROLES as [string, ...string[]])).max(8).optional(),
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
})

/** PATCH /documents/<id> */
export const UpdateDocumentRequest = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
})

/** PUT /documents/<id>/members/<userId> */
export const SetMemberRequest = z.object({
  role: z.enum(GRANTABLE_MEMBER_ROLES),
})
