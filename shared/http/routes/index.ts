/**
 * Every route of the HTTP API, by area. The relay registers exactly these (tests/server/http/routeTable.test.ts
 * compares Fastify's route table with this list); the renderer imports a route from its area module
 * and calls it by name.
 *
 * @example
 *   import { me } from '../../shared/http/routes/auth'
 *   const { user } = await call(me)
 */
import type { AnyRoute } from '../contract'
import * as accounts from './accounts'
import * as approvalSetup from './approvalSetup'
import * as approvals from './approvals'
import * as audit from './audit'
import * as auth from './auth'
import * as directory from './directory'
import * as documents from './documents'
import * as imports from './imports'
import * as inbox from './inbox'
import * as meetings from './meetings'
import * as meetingFollowUp from './meetingFollowUp'
import * as members from './members'
import * as org from './org'
import * as system from './system'
import * as users from './users'
import * as versions from './versions'

/** The route modules, by area. */
export const areas = {
  accounts,
  approvalSetup,
  approvals,
  audit,
  auth,
  directory,
  documents,
  imports,
  inbox,
  meetings,
  meetingFollowUp,
  members,
  org,
  system,
  users,
  versions,
} as const

function isRoute(value: unknown): value is AnyRoute {
  return (
    typeof value === 'object' &&
    value !== null &&
    'method' in value &&
    'path' in value &&
    typeof value.path === 'string'
  )
}

/** @returns every declared route, each once, in area order. */
export function allRoutes(): AnyRoute[] {
  return Object.values(areas).flatMap((area) => Object.values(area).filter(isRoute))
}
