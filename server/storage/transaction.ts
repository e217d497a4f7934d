/** Transactions that compose: a store method that needs one joins its caller's, if any. */
import type { Kysely } from 'kysely'
import type { Database } from './schema'

/**
 * Runs `work` in a transaction: the one `db` is bound to (a unit of work's), or a new one.
 * @example
 *   await inTransaction(this.db, async (trx) => { await trx.deleteFrom('posts')…; await trx.insertInto('posts')… })
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}
