/** /api/v1/auth: login, logout, who am I, my sessions, change password. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  changePassword,
  listSessions,
  login,
  logout,
  me,
  revokeSession,
} from '../../shared/http/routes/auth'
import { toApiUser } from '../services/AccountService'
import type { HttpContext } from './context'
import { principalOf } from './context'
import { handle } from './contractRoute'

/** Registers the auth routes. */
export function authRoutes(app: FastifyInstance, context: HttpContext): void {
  const signedIn = (request: FastifyRequest) => principalOf(context, request)
  // auth/me, auth/logout and auth/password serve a session that must still set its password.
  const beforePasswordSet = (request: FastifyRequest) =>
    principalOf(context, request, { beforePasswordSet: true })

  handle(app, login, async ({ body, request }) => {
    const { token, user } = await context.accounts.login(body.username, body.password, {
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 200) ?? null,
    })
    return { token, user: toApiUser(user) }
  })

  handle(app, logout, beforePasswordSet, async ({ auth, request }) => {
    await context.accounts.logout(auth, request.ip)
    return null
  })

  handle(app, me, beforePasswordSet, async ({ auth }) => ({ user: toApiUser(auth.user) }))

  handle(app, listSessions, signedIn, async ({ auth }) => ({
    sessions: await context.accounts.sessions(auth),
  }))

  handle(app, revokeSession, signedIn, async ({ auth, params }) => {
    await context.accounts.revokeSession(auth, params.id)
    return null
  })

  handle(app, changePassword, beforePasswordSet, async ({ auth, body, request }) => {
    await context.accounts.changePassword(auth, body.oldPassword, body.newPassword, request.ip)
    return null
  })
}
