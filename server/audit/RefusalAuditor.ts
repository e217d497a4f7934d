/**
 * Audits the relay's refusals (DESIGN.md §3): a refused upgrade, a dropped reader write, a refused
 * update, a rate-limit or bad-message close. A hostile client repeats its refusal thousands of
 * times, so each (user, room, reason) is audited once per window and the repeats are counted in
 * the next entry instead of written one by one. A refusal that is audited is logged at warn level,
 * its repeats at debug level (a flood must not become a flood of log lines).
 *
 * @example
 *   refusals.refuse({ actor: { id, name }, room: 'doc:1', reason: 'update_refused', detail: { roots } })
 */
import type { AuditService } from './AuditService'
import type { AuditActor } from './events'
import type { Logger } from '../logger'

/** One refusal. */
export interface Refusal {
  readonly actor: AuditActor
  /** The room concerned (`doc:<id>`), or null for a refusal before any room (a bad upgrade). */
  readonly room: string | null
  /** Stable machine reason, e.g. a close event's reason or a policy's refusal reason. */
  readonly reason: string
  /** The audit action; `relay.refused` unless the refusal has a more specific one. */
  readonly action?: string
  readonly detail?: Record<string, unknown>
  readonly ip?: string | null
}

/** Tuning of the de-duplication. */
export interface RefusalAuditorOptions {
  /** A (user, room, reason) is audited at most once per this many ms. */
  readonly windowMs: number
  /** Most keys remembered; the oldest are forgotten first (bounds memory under a flood). */
  readonly maxKeys: number
}

const DEFAULTS: RefusalAuditorOptions = { windowMs: 10 * 60_000, maxKeys: 10_000 }

interface Seen {
  at: number
  /** Repeats suppressed since the last entry. */
  suppressed: number
}

/** De-duplicated audit of refusals. */
export class RefusalAuditor {
  private readonly seen = new Map<string, Seen>()
  /** Entries written (for tests and metrics). */
  audited = 0
  /** Refusals not written because an entry of the same key was recent. */
  suppressed = 0

  constructor(
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly options: RefusalAuditorOptions = DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a refusal; never throws and never waits (the caller is usually a socket handler). */
  refuse(refusal: Refusal): void {
    const action = refusal.action ?? 'relay.refused'
    const key = `${refusal.actor.id ?? refusal.ip ?? '-'}\u0000${refusal.room ?? '-'}\u0000${action}\u0000${refusal.reason}`
    const now = this.now()
    const previous = this.seen.get(key)
    const repeated = previous !== undefined && now - previous.at < this.options.windowMs
    const fields = { user: refusal.actor.id, room: refusal.room, reason: refusal.reason, action }
    if (repeated) {
      this.logger.debug('refused', fields)
    } else {
      this.logger.warn('refused', fields)
    }
    if (repeated) {
      previous.suppressed++
      this.suppressed++
      return
    }
    const repeats = previous?.suppressed ?? 0
    this.seen.delete(key)
    this.seen.set(key, { at: now, suppressed: 0 })
    if (this.seen.size > this.options.maxKeys) {
      const oldest = this.seen.keys().next().value
      if (oldest !== undefined) {
        this.seen.delete(oldest)
      }
    }
    this.audited++
    this.audit
      .record({
        actor: refusal.actor,
        action,
        target: refusal.room,
        detail: {
          reason: refusal.reason,
          ...refusal.detail,
          ...(repeats > 0 ? { repeatsSincePrevious: repeats } : {}),
        },
        ip: refusal.ip ?? null,
      })
      .catch((error: unknown) => {
        // AuditService already logs the failure loudly; a socket handler must not throw.
        this.logger.error('refusal audit failed', { error: String(error), reason: refusal.reason })
      })
  }
}
