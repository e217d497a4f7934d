/**
 * Refusals of approval set-up stay audited: a command that is refused (by a check before its unit
 * of work, or inside it, whose audit entries roll back with it) leaves one `<action>_refused` entry
 * recorded after the fact, naming the code.
 */
import type { AuditService } from '../audit/AuditService'
import { DomainError } from '../domain/errors'
import type { RequestActor } from '../services/actor'

/** Where a refusal is recorded. */
export interface RefusalTarget {
  readonly actor: RequestActor
  /** The command's audit action, e.g. `device.register`; the refusal is `device.register_refused`. */
  readonly action: string
  readonly target: string | null
}

/**
 * Runs a command; a DomainError it throws is audited as a refusal, then rethrown.
 * @throws whatever `command` throws
 */
export async function auditRefusals<T>(
  audit: AuditService,
  where: RefusalTarget,
  command: () => Promise<T>,
): Promise<T> {
  try {
    return await command()
  } catch (error) {
    if (error instanceof DomainError) {
      await audit.record({
        ...where.actor.event,
        action: `${where.action}_refused`,
        target: where.target,
        detail: { code: error.code, reason: error.message },
      })
    }
    throw error
  }
}
