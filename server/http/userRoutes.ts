/** /api/v1/users (people picker) and /api/v1/admin (provisioning). */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { CreateUserRequest } from '../../shared/validation'
import type { UserSummary } from '../../shared/api'
import { parseRoles, toApiUser } from '../services/AccountService'
import type { Principal } from '../services/AccountService'
import { forbidden } from '../errors'
import type { HttpContext } from './context'
import { parseBody, principalOf } from './context'

const SearchQuery = z.object({ q: z.string().max(64).optional() })
const IdParams = z.object({ id: z.string().min(1).max(64) })

function requireAdmin(principal: Principal): { unitAdminOf: string | null } {
  const roles = parseRoles(principal.user.roles)
  if (roles.includes('sysadmin')) {
    return { unitAdminOf: null }
  }
  if (roles.includes('unitadmin') && principal.user.unit_id !== null) {
    return { unitAdminOf: principal.user.unit_id }
  }
  throw forbidden('需要管理员权限 (administrators only)')
}

/** Registers the user routes. */
export function userRoutes(app: FastifyInstance, context: HttpContext): void {
  app.get('/api/v1/users', async (request): Promise<{ users: UserSummary[] }> => {
    await principalOf(context, request)
    const { q } = parseBody(SearchQuery, request.query)
    const rows = await context.storage.searchUsers((q ?? '').trim(), 20)
    return { users: rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name })) }
  })

  app.post('/api/v1/admin/users', async (request, reply) => {
    const principal = await principalOf(context, request)
    const { unitAdminOf } = requireAdmin(principal)
    const body = parseBody(CreateUserRequest, request.body)
    if (unitAdminOf !== null && body.unitId !== unitAdminOf) {
      throw forbidden('单位管理员只能在本单位内创建账号 (unit admins create accounts in their own unit)')
    }
    if (unitAdminOf !== null && body.roles?.includes('sysadmin')) {
      throw forbidden('单位管理员不能授予系统管理员角色 (unit admins cannot grant sysadmin)')
    }
    const { user, activationCode } = await context.accounts.createUser(body)
    return reply.code(201).send({ ...toApiUser(user), ...(activationCode === null ? {} : { activationCode }) })
  })

  app.post('/api/v1/admin/users/:id/deactivate', async (request) => {
    const principal = await principalOf(context, request)
    const { unitAdminOf } = requireAdmin(principal)
    const { id } = parseBody(IdParams, request.params)
    const target = await context.storage.userById(id)
    if (unitAdminOf !== null && target !== null && target.unit_id !== unitAdminOf) {
      throw forbidden()
    }
    const user = await context.accounts.deactivate(id)
    return { ...toApiUser(user), active: false }
  })

  app.get('/api/v1/admin/metrics', async (request) => {
    requireAdmin(await principalOf(context, request))
    return context.metrics.snapshot()
  })
}
