/**
 * Leases of timed work that must run on one relay node at a time (DESIGN §5): a row per job name
 * holding the node and the lease's end. A node takes a free or expired lease, or extends its own,
 * in one upsert, so two nodes asking at once never both get it.
 */
import type { Kysely } from 'kysely'
import type { Database } from './schema'

/** Leases on Kysely (both dialects). */
export class LeaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes the lease `name` for `holder` until `now + ttlMs`, when it is free, expired or already
   * `holder`'s. @returns whether `holder` holds it now.
   */
  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    const row = await this.db
      .insertInto('audit_leases')
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('audit_leases.holder', '=', holder),
              eb('audit_leases.expires_at', '<', now),
            ]),
          ),
      )
      .returning('holder')
      .executeTakeFirst()
    return row?.holder === holder
  }

  /** Gives the lease up, when `holder` holds it. */
  async release(name: string, holder: string): Promise<void> {
    await this.db
      .deleteFrom('audit_leases')
      .where('name', '=', name)
      .where('holder', '=', holder)
      .execute()
  }
}
