/**
 * Refusals of meeting commands stay audited: a DomainError thrown before or inside a command's unit
 * of work (whose own audit entries roll back with it) leaves one `<action>_refused` entry, recorded
 * after the fact with the code.
 */
import type { AuditService } from '../audit/AuditService'
import { DomainError } from '../domain/errors'
import type { RequestActor } from '../services/actor'

/**
 * Runs a command; a DomainError it throws is audited as `<action>_refused` on `target`, then rethrown.
 * @throws whatever `command` throws
 */
export async function refusalsAudited<T>(
  audit: AuditService,
  actor: RequestActor,
  action: string,
  target: string | null,
  command: () => Promise<T>,
): Promise<T> {
  try {
    return await command()
  } catch (error) {
    if (error instanceof DomainError) {
      await audit.record({
        ...actor.event,
        action: `${action}_refused`,
        target,
        detail: { code: error.code, reason: error.message },
      })
    }
    throw error
  }
}
