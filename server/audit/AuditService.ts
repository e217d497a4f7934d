/** Records security-relevant acts in the chained audit log, and verifies the chain. */
import type { AuditFilter, AuditRow, AuditStorage } from '../storage/AuditStore'
import type { Logger } from '../logger'
import { ChainVerifier, GENESIS_HASH, entryHash } from './chain'
import type { ChainProblem } from './chain'

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

/** The result of a verification. */
export interface VerifyReport {
  readonly ok: boolean
  readonly checked: number
  readonly problems: readonly ChainProblem[]
}

/** The system actor, for acts without a signed-in user. */
export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system' }

/** The audit log. */
export class AuditService {
  constructor(
    private readonly store: AuditStorage,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends events in order, chained. */
  async record(...events: AuditEvent[]): Promise<void> {
    try {
      await this.store.append((last) => {
        let prevHash = last?.hash ?? GENESIS_HASH
        let seq = last?.seq ?? 0
        return events.map((event) => {
          seq++
          const content = {
            seq,
            at: this.now(),
            actor_id: event.actor.id,
            actor_name: event.actor.name,
            action: event.action,
            target: event.target ?? null,
            detail: JSON.stringify(event.detail ?? {}),
            ip: event.ip ?? null,
          }
          const hash = entryHash(prevHash, content)
          const row: AuditRow = { ...content, prev_hash: prevHash, hash }
          prevHash = hash
          return row
        })
      })
    } catch (error) {
      // Losing an audit entry silently is not acceptable; make it loud in the operations log.
      this.logger.error('audit append failed', { error: String(error), actions: events.map((e) => e.action) })
      throw error
    }
  }

  /** Walks the whole chain. */
  async verify(): Promise<VerifyReport> {
    const verifier = new ChainVerifier()
    let after = 0
    for (;;) {
      const rows = await this.store.page(after, 5000)
      if (rows.length === 0) {
        break
      }
      verifier.feed(rows)
      after = Number(rows[rows.length - 1]!.seq)
    }
    return { ok: verifier.problems.length === 0, checked: verifier.checked, problems: verifier.problems }
  }

  /** Rows for the viewer, newest first. */
  search(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    return this.store.search(filter, limit, offset)
  }
}
