/** /api/v1/units and /api/v1/admin: the org tree, accounts and the node's counters. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { RequestActor } from '../services/actor'
import {
  createAccount,
  deactivateAccount,
  getAccount,
  listAccounts,
  moveAccount,
  reactivateAccount,
  resetAccountPassword,
  updateAccount,
} from '../../shared/http/routes/accounts'
import {
  createUnit,
  deleteUnit,
  listUnits,
  moveUnit,
  updateUnit,
} from '../../shared/http/routes/org'
import { adminMetrics } from '../../shared/http/routes/system'
import { isAdministrator } from '../../shared/domain/org'
import { forbidden } from '../errors'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { handle } from './contractRoute'

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

  handle(
    app,
    listUnits,
    (request) => actorOf(context, request),
    async () => {
      const [units, codes] = await Promise.all([
        context.org.tree(),
        context.approvalSetup.agencyCodes.all(),
      ])
      return {
        units: units.map((unit) => {
          const agencyCode = codes.get(unit.id)
          return agencyCode === undefined ? unit : { ...unit, agencyCode }
        }),
      }
    },
  )

  handle(app, createUnit, admin, async ({ auth, body }) => context.org.create(auth, body))

  handle(app, updateUnit, admin, async ({ auth, params: { id }, body }) => {
    const unit = await context.org.update(auth, id, body)
    if (body.name !== undefined) {
      // Directory entries carry unit names: rewrite every room that lists someone posted here.
      const members = await context.storage.org.unitMembers(id)
      await context.directory.refreshUnits([
        id,
        ...(await context.directory.unitsOf(members.map((m) => m.id))),
      ])
    }
    return unit
  })

  handle(app, moveUnit, admin, async ({ auth, params, body }) => {
    const moved = await context.org.move(auth, params.id, body.parentId)
    // Unit paths changed for the whole subtree: searches within a unit must see the new tree.
    context.directory.invalidate()
    return moved
  })

  handle(app, deleteUnit, admin, async ({ auth, params }) => {
    await context.org.remove(auth, params.id)
    return null
  })

  handle(app, listAccounts, admin, async ({ auth, query }) => {
    const active = query.active === undefined ? undefined : query.active === 'true'
    return context.admin.list(
      auth,
      { unitId: query.unitId, query: query.q, active },
      query.limit,
      query.offset,
    )
  })

  handle(app, createAccount, admin, async ({ auth, body }) => context.admin.create(auth, body))

  handle(app, getAccount, admin, async ({ auth, params }) => context.admin.get(auth, params.id))

  handle(app, updateAccount, admin, async ({ auth, params, body }) =>
    context.admin.update(auth, params.id, body),
  )

  handle(app, moveAccount, admin, async ({ auth, params, body }) =>
    context.admin.move(auth, params.id, body.unitId),
  )

  handle(app, deactivateAccount, admin, async ({ auth, params: { id }, body }) => {
    const result = await context.admin.deactivate(auth, id, body.successorId ?? null)
    return { id, active: false as const, ...result }
  })

  handle(app, reactivateAccount, admin, async ({ auth, params }) =>
    context.admin.reactivate(auth, params.id),
  )

  handle(app, resetAccountPassword, admin, async ({ auth, params }) =>
    context.admin.resetPassword(auth, params.id),
  )

  handle(app, adminMetrics, admin, async () => context.metrics.snapshot())
}
