/**
 * Approval set-up routes (shared/http/routes/approvalSetup.ts): device keys and delegations of the
 * signed-in account, the flow and form catalog (saving needs an administrator; the service asks
 * for a system administrator), and each unit's 机关代字.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  createDelegation,
  listDelegations,
  listDevices,
  listFlows,
  listForms,
  registerDevice,
  revokeDelegation,
  revokeDevice,
  saveFlow,
  saveForm,
  setAgencyCode,
  userDevices,
} from '../../shared/http/routes/approvalSetup'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { adminActor } from './adminRoutes'
import { handle } from './contractRoute'

/** Registers the approval set-up routes. */
export function approvalSetupRoutes(app: FastifyInstance, context: HttpContext): void {
  const signedIn = (request: FastifyRequest) => actorOf(context, request)
  const admin = (request: FastifyRequest) => adminActor(context, request)
  const { devices, delegations, catalog, agencyCodes } = context.approvalSetup

  handle(app, registerDevice, signedIn, async ({ auth, body }) => devices.register(auth, body))
  handle(app, listDevices, signedIn, async ({ auth }) => ({ devices: await devices.mine(auth) }))
  handle(app, revokeDevice, signedIn, async ({ auth, params }) => {
    await devices.revoke(auth, params.id)
    return null
  })
  handle(app, userDevices, signedIn, async ({ params }) => ({
    devices: await devices.published(params.id),
  }))

  handle(app, createDelegation, signedIn, async ({ auth, body }) => delegations.create(auth, body))
  handle(app, listDelegations, signedIn, async ({ auth }) => delegations.list(auth))
  handle(app, revokeDelegation, signedIn, async ({ auth, params }) => {
    await delegations.revoke(auth, params.id)
    return null
  })

  handle(app, listFlows, signedIn, async ({ query }) => ({
    flows: await catalog.flows(query.subjectType),
  }))
  handle(app, saveFlow, admin, async ({ auth, params, body }) =>
    catalog.saveFlow(auth, params.id, body),
  )
  handle(app, listForms, signedIn, async () => ({ forms: await catalog.forms() }))
  handle(app, saveForm, admin, async ({ auth, params, body }) =>
    catalog.saveForm(auth, params.id, body),
  )

  handle(app, setAgencyCode, admin, async ({ auth, params, body }) =>
    agencyCodes.set(auth, params.id, body.agencyCode),
  )
}
