/** /api/v1/auth: login, logout, who am I, change password. */
import type { FastifyInstance } from 'fastify'
import { ChangePasswordRequest, LoginRequest } from '../../shared/validation'
import type { LoginResponse } from '../../shared/api'
import { toApiUser } from '../services/AccountService'
import { z } from 'zod'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const SessionParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) })

/** Registers the auth routes. */
export function authRoutes(app: FastifyInstance, context: HttpContext): void {
  app.post('/api/v1/auth/login', async (request): Promise<LoginResponse> => {
    const body = parseBody(LoginRequest, request.body)
    const { token, user } = await context.accounts.login(body.username, body.password, {
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 200) ?? null,
    })
    return { token, user: toApiUser(user) }
  })

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const principal = await principalOf(context, request, { beforePasswordSet: true })
    await context.accounts.logout(principal, request.ip)
    return reply.code(204).send()
  })

  app.get('/api/v1/auth/me', async (request) => {
    const principal = await principalOf(context, request, { beforePasswordSet: true })
    return { user: toApiUser(principal.user) }
  })

  app.get('/api/v1/auth/sessions', async (request) => {
    const principal = await principalOf(context, request)
    return { sessions: await context.accounts.sessions(principal) }
  })

  app.delete('/api/v1/auth/sessions/:id', async (request, reply) => {
    const principal = await principalOf(context, request)
    const { id } = parseBody(SessionParams, request.params)
    await context.accounts.revokeSession(principal, id)
    return reply.code(204).send()
  })

  app.post('/api/v1/auth/password', async (request, reply) => {
    const principal = await principalOf(context, request, { beforePasswordSet: true })
    const body = parseBody(ChangePasswordRequest, request.body)
    await context.accounts.changePassword(principal, body.oldPassword, body.newPassword, request.ip)
    return reply.code(204).send()
  })
}
