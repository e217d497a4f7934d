/** Audit rows in the relational store: chained appends under a lock, and ordered reads. */
import { sql } from 'kysely'
import { likeContains, likePrefix } from './like'
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { AuditCheckpointsTable, AuditKeysTable, AuditLogTable, Database } from './schema'
import type { Dialect } from './database'
import type { AuditEvent } from '../audit/events'

/** An audit row. */
export type AuditRow = Selectable<AuditLogTable>
/** A record of an audit key: which key, from which seq. */
export type AuditKeyRow = Selectable<AuditKeysTable>
/** A signed checkpoint as the database holds it. */
export type AuditCheckpointRow = Selectable<AuditCheckpointsTable>

/** Filters of the audit viewer. */
export interface AuditFilter {
  readonly actorId?: string | undefined
  readonly action?: string | undefined
  readonly from?: number | undefined
  readonly to?: number | undefined
  readonly text?: string | undefined
  /** Only entries by people whose unit is this one or below it. */
  readonly unitId?: string | undefined
}

/** The newest entry of the chain, as the next one links to it. */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
}

/** Turns audit events into chained rows (AuditService: keyed HMAC-SM3), for units of work. */
export interface AuditChain {
  /** @returns the rows of `events`, in order, chained after `last` (null: the chain is empty). */
  seal(events: readonly AuditEvent[], last: ChainHead | null): AuditRow[]
  /** Rows were committed to the chain (after the transaction that appended them). */
  appended(rows: readonly AuditRow[]): void
}

/** What the audit log needs from storage. */
export interface AuditStorage {
  /**
   * Appends rows built from the current last row, atomically: no other writer (in this process or
   * another relay node) can append between reading the last row and inserting.
   */
  append(build: (last: ChainHead | null) => AuditRow[]): Promise<AuditRow[]>
  /**
   * The same inside a caller's transaction (a unit of work): takes the chain's lock for the rest of
   * `trx`, so the rows commit or roll back with the caller's writes.
   */
  appendWithin(
    trx: Transaction<Database>,
    build: (last: ChainHead | null) => AuditRow[],
  ): Promise<AuditRow[]>
  /**
   * Under the append lock: reads the key records and the head entry, and when there is no key
   * record yet, inserts `create(head)` first (so two nodes starting at once record one key).
   */
  openChain(
    create: (head: AuditRow | null) => AuditKeyRow,
  ): Promise<{ keys: AuditKeyRow[]; head: AuditRow | null }>
  /** The key records, oldest first. */
  keys(): Promise<AuditKeyRow[]>
  /** The newest entry, or null when the log is empty. */
  head(): Promise<AuditRow | null>
  /** Stores a checkpoint; one that is there already (same count) is kept. */
  insertCheckpoint(row: AuditCheckpointRow): Promise<void>
  /** Checkpoints, newest (highest count) first, at most `limit`. */
  checkpoints(limit: number): Promise<AuditCheckpointRow[]>
  /** Rows with seq > `after`, in order, at most `limit`. */
  page(after: number, limit: number): Promise<AuditRow[]>
  /** Rows matching a filter, newest first. */
  search(
    filter: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: AuditRow[]; total: number }>
  /**
   * The names of the things audit entries refer to by id: people (display name), units (name),
   * documents and approvals (title). Ids nothing answers to are left out.
   */
  names(ids: readonly string[]): Promise<Map<string, string>>
}

/** AuditStorage on Kysely. */
export class AuditStore implements AuditStorage {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  append(build: (last: ChainHead | null) => AuditRow[]): Promise<AuditRow[]> {
    return this.locked((trx) => appendRows(trx, build))
  }

  async appendWithin(
    trx: Transaction<Database>,
    build: (last: ChainHead | null) => AuditRow[],
  ): Promise<AuditRow[]> {
    // Not through `queue`: this transaction already holds a connection, and waiting in the queue
    // behind an append that needs a pooled connection of its own could exhaust the pool. The
    // advisory lock (PostgreSQL) or the IMMEDIATE transaction's write lock (SQLite) serialises it.
    await this.lockChain(trx)
    return appendRows(trx, build)
  }

  openChain(
    create: (head: AuditRow | null) => AuditKeyRow,
  ): Promise<{ keys: AuditKeyRow[]; head: AuditRow | null }> {
    return this.locked(async (trx) => {
      const head =
        (await trx
          .selectFrom('audit_log')
          .selectAll()
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()) ?? null
      let keys = await trx.selectFrom('audit_keys').selectAll().orderBy('id').execute()
      if (keys.length === 0) {
        const row = create(head)
        await trx.insertInto('audit_keys').values(row).execute()
        keys = [row]
      }
      return { keys, head }
    })
  }

  keys(): Promise<AuditKeyRow[]> {
    return this.db.selectFrom('audit_keys').selectAll().orderBy('id').execute()
  }

  async head(): Promise<AuditRow | null> {
    return (
      (await this.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null
    )
  }

  async insertCheckpoint(row: AuditCheckpointRow): Promise<void> {
    await this.db
      .insertInto('audit_checkpoints')
      .values(row)
      .onConflict((oc) => oc.column('count').doNothing())
      .execute()
  }

  checkpoints(limit: number): Promise<AuditCheckpointRow[]> {
    return this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('count', 'desc')
      .limit(limit)
      .execute()
  }

  /**
   * Runs `work` in a transaction that holds the chain's lock. In-process callers queue here; across
   * processes (relay nodes on one PostgreSQL) a transaction-scoped advisory lock serialises them,
   * and on SQLite the IMMEDIATE transaction's write lock does. Under READ COMMITTED each statement
   * after the lock sees every chain append committed before it, so no two appends read one head.
   */
  private locked<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const result = this.queue.then(() =>
      this.db.transaction().execute(async (trx) => {
        await this.lockChain(trx)
        return work(trx)
      }),
    )
    this.queue = result.catch(() => undefined)
    return result
  }

  /** Holds the chain's lock until `trx` ends (PostgreSQL; SQLite's write lock is held already). */
  private async lockChain(trx: Transaction<Database>): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(7250001)`.execute(trx)
    }
  }

  async page(after: number, limit: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute()
  }

  async search(
    filter: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: AuditRow[]; total: number }> {
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
    if (filter.unitId !== undefined) {
      const unit = await this.db
        .selectFrom('units')
        .select('path')
        .where('id', '=', filter.unitId)
        .executeTakeFirst()
      // An unknown unit matches nobody (never everybody).
      const prefix = likePrefix(unit?.path ?? '//no-such-unit//')
      query = query.where('actor_id', 'in', (eb) =>
        eb
          .selectFrom('users as u')
          .innerJoin('units as n', 'n.id', 'u.unit_id')
          .select('u.id')
          .where('n.path', 'like', prefix),
      )
    }
    if (filter.text !== undefined && filter.text !== '') {
      const pattern = likeContains(filter.text)
      query = query.where((eb) =>
        eb.or([
          eb('actor_name', 'like', pattern),
          eb('target', 'like', pattern),
          eb('detail', 'like', pattern),
        ]),
      )
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(count.n) }
  }

  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>()
    const wanted = [...new Set(ids)].slice(0, 1000)
    if (wanted.length === 0) {
      return names
    }
    const [users, units, documents, approvals] = await Promise.all([
      this.db
        .selectFrom('users')
        .select(['id', 'display_name as name'])
        .where('id', 'in', wanted)
        .execute(),
      this.db.selectFrom('units').select(['id', 'name']).where('id', 'in', wanted).execute(),
      this.db
        .selectFrom('documents')
        .select(['id', 'title as name'])
        .where('id', 'in', wanted)
        .execute(),
      this.db
        .selectFrom('approvals')
        .select(['id', 'title as name'])
        .where('id', 'in', wanted)
        .execute(),
    ])
    for (const row of [...approvals, ...documents, ...units, ...users]) {
      names.set(row.id, row.name)
    }
    return names
  }
}

/** Reads the chain's head and inserts the rows `build` links to it (under the chain's lock). */
async function appendRows(
  trx: Transaction<Database>,
  build: (last: ChainHead | null) => AuditRow[],
): Promise<AuditRow[]> {
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
}
