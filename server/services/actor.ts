/** Who is acting in a request, for rule checks and the audit log. */
import type { AdminSubject } from '../../shared/domain/org'
import type { AuditActor } from '../audit/AuditService'

/** The actor of a request. */
export interface RequestActor {
  readonly userId: string
  readonly subject: AdminSubject
  /** Spread into audit events: actor and IP. */
  readonly event: { readonly actor: AuditActor; readonly ip: string | null }
}
