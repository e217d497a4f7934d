/** What an audit entry records before it is chained: who did what to what (server/audit/chain.ts). */

/** Who did it. `null` id is the system itself. */
export interface AuditActor {
  readonly id: string | null
  readonly name: string
}

/** One act to record. */
export interface AuditEvent {
  readonly actor: AuditActor
  /** Dotted verb, e.g. `auth.login`, `auth.login_failed`, `user.create`, `acl.member_set`. */
  readonly action: string
  readonly target?: string | null
  readonly detail?: Record<string, unknown>
  readonly ip?: string | null
}

/** The system actor, for acts without a signed-in user. */
export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system' }
