/** Audit rows in the relational store: chained appends under a lock, and ordered reads. */
import { sql } from 'kysely'
import { likeContains, likePrefix } from './like'
import type { Kysely, Selectable } from 'kysely'
import type { AuditLogTable, Database } from './schema'
import type { Dialect } from './database'

/** An audit row. */
export type AuditRow = Selectable<AuditLogTable>

/** Filters of the audit viewer. */
export interface AuditFilter {
  readonly actorId?: string | undefined
  readonly action?: string | undefined
  readonly from?: number | undefined
  readonly to?: number | undefined
  readonly text?: string | undefined
}


/** What the audit log needs from storage. */
export interface AuditStorage {
  /**
   * Appends rows built from the current last row, atomically: no other writer (in this process or
   * another relay node) can append between reading the last row and inserting.
   */
  append(build: (last: { seq: number; hash: string } | null) => AuditRow[]): Promise<AuditRow[]>
  /** Rows with seq > `after`, in order, at most `limit`. */
  page(after: number, limit: number): Promise<AuditRow[]>
  /** Rows matching a filter, newest first. */
  search(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }>
}

/** AuditStorage on Kysely. */
export class AuditStore implements AuditStorage {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  append(build: (last: { seq: number; hash: string } | null) => AuditRow[]): Promise<AuditRow[]> {
    // In-process appends are serialised here; across processes the transaction lock below does it.
    const work = this.queue.then(() =>
      this.db.transaction().execute(async (trx) => {
        if (this.dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(7250001)`.execute(trx)
        }
        const last = await trx
          .selectFrom('audit_log')
          .select(['seq', 'hash'])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()
        const rows = build(last === undefined ? null : { seq: Number(last.seq), hash: last.hash })
        if (rows.length > 0) {
          await trx.insertInto('audit_log').values(rows).execute()
        }
        return rows
      }),
    )
    this.queue = work.catch(() => undefined)
    return work
  }

  async page(after: number, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute()
  }

  async search(filter: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    let query = this.db.selectFrom('audit_log')
    if (filter.actorId !== undefined) {
      query = query.where('actor_id', '=', filter.actorId)
    }
    if (filter.action !== undefined) {
      query = query.where('action', 'like', likePrefix(filter.action))
    }
    if (filter.from !== undefined) {
      query = query.where('at', '>=', filter.from)
    }
    if (filter.to !== undefined) {
      query = query.where('at', '<=', filter.to)
    }
    if (filter.text !== undefined && filter.text !== '') {
      const pattern = likeContains(filter.text)
      query = query.where((eb) =>
        eb.or([eb('actor_name', 'like', pattern), eb('target', 'like', pattern), eb('detail', 'like', pattern)]),
      )
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(count.n) }
  }
}
