/** What route modules share: services and request authentication. */
import type { FastifyRequest } from 'fastify'
import type { AccountService, Principal } from '../services/AccountService'
import type { SessionService } from '../services/SessionService'
import type { DocumentLifecycle } from '../services/DocumentLifecycle'
import type { DocumentService } from '../services/DocumentService'
import type { Storage } from '../storage/Storage'
import type { MetricsExtension } from '../extensions/MetricsExtension'
import type { AuditService } from '../audit/AuditService'
import type { OrgService } from '../services/OrgService'
import type { AdminService } from '../services/AdminService'
import type { ImportService } from '../imports/ImportService'
import type { DirectoryService } from '../services/DirectoryService'
import type { VersionService } from '../services/VersionService'
import type { SearchService } from '../services/SearchService'
import type { InboxService } from '../services/InboxService'
import type { Approvals } from '../approvals/Approvals'
import type { RequestActor } from '../services/actor'
import type { ApprovalSetupServices } from '../approvalSetup'
import { parseRoles } from '../services/accountViews'
import { DomainError, unauthorized } from '../domain/errors'

/** Dependencies of the HTTP routes. */
export interface HttpContext {
  readonly storage: Storage
  readonly accounts: AccountService
  /** Sessions (also reachable through `accounts`, whose session methods delegate here). */
  readonly sessions: SessionService
  readonly documents: DocumentService
  /** 回收站 and 归档. */
  readonly lifecycle: DocumentLifecycle
  readonly metrics: MetricsExtension
  readonly audit: AuditService
  readonly org: OrgService
  readonly admin: AdminService
  readonly imports: ImportService
  readonly directory: DirectoryService
  readonly versions: VersionService
  readonly search: SearchService
  readonly inbox: InboxService
  /** Approvals, the 待办 centre and their evidence (DESIGN §7). */
  readonly approvals: Approvals
  /** Approval set-up (issue 20): device keys, delegations, flows and forms, 机关代字. */
  readonly approvalSetup: ApprovalSetupServices
}

/** @returns the acting user of a request, for rules and the audit log. @throws DomainError unauthorized */
export async function actorOf(
  context: HttpContext,
  request: FastifyRequest,
): Promise<RequestActor & { principal: Principal }> {
  const principal = await principalOf(context, request)
  const { user } = principal
  return {
    principal,
    userId: user.id,
    subject: { roles: parseRoles(user.roles), unitId: user.unit_id },
    event: { actor: { id: user.id, name: user.display_name }, ip: request.ip },
  }
}

/** @returns the bearer token of a request, or '' when there is none. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? ''
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : ''
}

/** Options of principalOf. */
export interface PrincipalOptions {
  /**
   * The route serves an account that must still set its password (signed in with an activation
   * code): only `auth/me`, `auth/logout` and `auth/password` do (DESIGN.md §6).
   */
  readonly beforePasswordSet?: boolean
}

/**
 * @throws DomainError unauthorized unless the request carries a live session; 403 password_change_required
 *   (audited) when the account must set its password first and the route is not one for that.
 */
export async function principalOf(
  context: HttpContext,
  request: FastifyRequest,
  options: PrincipalOptions = {},
): Promise<Principal> {
  const token = bearerToken(request)
  if (token === '') {
    throw unauthorized()
  }
  const principal = await context.accounts.requirePrincipal(token)
  requestUsers.set(request, principal.user.id)
  if (principal.user.must_change_password === 1 && options.beforePasswordSet !== true) {
    await context.audit.record({
      actor: { id: principal.user.id, name: principal.user.display_name },
      action: 'auth.password_change_required',
      target: principal.user.id,
      // The route's pattern, not the URL: a query string is the caller's text.
      detail: { route: `${request.method} ${request.routeOptions.url ?? ''}` },
      ip: request.ip,
    })
    throw new DomainError(
      'password_change_required',
      '请先设置新密码，再使用其他功能 (set a new password first)',
    )
  }
  return principal
}

/** The authenticated user of each request, for the request log (weak: gone with the request). */
export const requestUsers = new WeakMap<FastifyRequest, string>()
