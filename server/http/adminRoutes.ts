/** /api/v1/admin: the org tree, accounts, and the audit log. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { RequestActor } from '../services/actor'
import { z } from 'zod'
import {
  CreateAccountExtras,
  CreateUnitRequest,
  CreateUserRequest,
  DeactivateRequest,
  MoveAccountRequest,
  MoveRequest,
  UpdateAccountRequest,
  UpdateUnitRequest,
} from '../../shared/validation'
import { isAdministrator } from '../../shared/domain/org'
import { forbidden } from '../errors'
import type { HttpContext } from './context'
import { actorOf, parseBody } from './context'

const IdParams = z.object({ id: z.string().min(1).max(64) })
const ListQuery = z.object({
  unitId: z.string().min(1).max(64).optional(),
  q: z.string().max(64).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** @returns the acting administrator. @throws ApiError 401, or 403 (audited) for non-administrators */
export async function adminActor(
  context: HttpContext,
  request: FastifyRequest,
): Promise<RequestActor> {
  const actor = await actorOf(context, request)
  if (!isAdministrator(actor.subject)) {
    await context.audit.record({ ...actor.event, action: 'admin.denied', target: request.url })
    throw forbidden('需要管理员权限 (administrators only)')
  }
  return actor
}

/** Registers the admin routes. Every route needs an administrator; scope checks are in the services. */
export function adminRoutes(app: FastifyInstance, context: HttpContext): void {
  const admin = (request: FastifyRequest) => adminActor(context, request)

  app.get('/api/v1/units', async (request) => {
    await actorOf(context, request)
    return { units: await context.org.tree() }
  })

  app.post('/api/v1/admin/units', async (request, reply) => {
    const actor = await admin(request)
    return reply
      .code(201)
      .send(await context.org.create(actor, parseBody(CreateUnitRequest, request.body)))
  })

  app.patch('/api/v1/admin/units/:id', async (request) => {
    const actor = await admin(request)
    const { id } = parseBody(IdParams, request.params)
    const changes = parseBody(UpdateUnitRequest, request.body)
    const unit = await context.org.update(actor, id, changes)
    if (changes.name !== undefined) {
      // Directory entries carry unit names: rewrite every room that lists someone posted here.
      const members = await context.storage.org.unitMembers(id)
      await context.directory.refreshUnits([
        id,
        ...(await context.directory.unitsOf(members.map((m) => m.id))),
      ])
    }
    return unit
  })

  app.post('/api/v1/admin/units/:id/move', async (request) => {
    const actor = await admin(request)
    const { id } = parseBody(IdParams, request.params)
    const moved = await context.org.move(actor, id, parseBody(MoveRequest, request.body).parentId)
    // Unit paths changed for the whole subtree: searches within a unit must see the new tree.
    context.directory.invalidate()
    return moved
  })

  app.delete('/api/v1/admin/units/:id', async (request, reply) => {
    const actor = await admin(request)
    await context.org.remove(actor, parseBody(IdParams, request.params).id)
    return reply.code(204).send()
  })

  app.get('/api/v1/admin/users', async (request) => {
    const actor = await admin(request)
    const query = parseBody(ListQuery, request.query)
    const active = query.active === undefined ? undefined : query.active === 'true'
    return context.admin.list(
      actor,
      { unitId: query.unitId, query: query.q, active },
      query.limit,
      query.offset,
    )
  })

  app.post('/api/v1/admin/users', async (request, reply) => {
    const actor = await admin(request)
    const body = {
      ...parseBody(CreateUserRequest, request.body),
      ...parseBody(CreateAccountExtras, request.body),
    }
    return reply.code(201).send(await context.admin.create(actor, body))
  })

  app.get('/api/v1/admin/users/:id', async (request) => {
    const actor = await admin(request)
    return context.admin.get(actor, parseBody(IdParams, request.params).id)
  })

  app.patch('/api/v1/admin/users/:id', async (request) => {
    const actor = await admin(request)
    const { id } = parseBody(IdParams, request.params)
    return context.admin.update(actor, id, parseBody(UpdateAccountRequest, request.body))
  })

  app.post('/api/v1/admin/users/:id/move', async (request) => {
    const actor = await admin(request)
    const { id } = parseBody(IdParams, request.params)
    return context.admin.move(actor, id, parseBody(MoveAccountRequest, request.body).unitId)
  })

  app.post('/api/v1/admin/users/:id/deactivate', async (request) => {
    const actor = await admin(request)
    const { id } = parseBody(IdParams, request.params)
    const { successorId } = parseBody(DeactivateRequest, request.body)
    const result = await context.admin.deactivate(actor, id, successorId ?? null)
    return { id, active: false, ...result }
  })

  app.post('/api/v1/admin/users/:id/reactivate', async (request) => {
    const actor = await admin(request)
    return context.admin.reactivate(actor, parseBody(IdParams, request.params).id)
  })

  app.post('/api/v1/admin/users/:id/reset-password', async (request) => {
    const actor = await admin(request)
    return context.admin.resetPassword(actor, parseBody(IdParams, request.params).id)
  })

  app.get('/api/v1/admin/metrics', async (request) => {
    await admin(request)
    return context.metrics.snapshot()
  })
}
