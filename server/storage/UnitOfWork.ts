/**
 * A unit of work: one command's writes and its audit entries in ONE transaction, on SQLite and
 * PostgreSQL alike. The stores a unit of work hands out are bound to its transaction; the audit
 * events it collects are chained (AuditChain: keyed HMAC-SM3) and appended at the end, inside the
 * same transaction and under the chain's lock. Either everything commits, or nothing does.
 *
 * @example
 *   const user = await storage.unitOfWork(async (uow) => {
 *     await uow.users.insert(row)
 *     await uow.org.setPosts(row.id, posts)
 *     uow.audit({ ...actor.event, action: 'user.create', target: row.id })
 *     return row
 *   })
 *   control.userCreated(user.id) // effects outside the database run after the commit
 *
 * Rules of use:
 * - Inside the callback, reach the database only through `uow`. On SQLite there is one connection:
 *   a query through the storage's own stores (or `audit.record`) would wait for the transaction
 *   that waits for it, for ever.
 * - Do slow work that needs no database (hashing a password, parsing a file) before the unit of
 *   work, and effects outside the database (closing sockets, projecting rooms) after it resolves.
 * - Refusals that must stay audited although the command fails are recorded before it
 *   (`audit.record`), not in it: a unit of work that throws rolls its audit entries back too.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'
import type { AuditEvent } from '../audit/events'
import type { AuditChain, AuditRow, AuditStorage } from './AuditStore'
import { UserStore } from './users/UserStore'
import { SessionStore } from './users/SessionStore'
import { DocumentStore } from './documents/DocumentStore'
import { OrgStore } from './OrgStore'
import type { OrgStorage } from './OrgStore'
import { ImportStore } from './ImportStore'
import { RoomStore } from './roomlog/RoomStore'
import { VersionStore } from './VersionStore'
import { ApprovalStore } from './approvals/ApprovalStore'

/** The relational stores, by aggregate, on one connection or transaction. */
export interface Stores {
  readonly users: UserStore
  readonly sessions: SessionStore
  /** Documents, personal members and unit grants: the document ACL. */
  readonly documents: DocumentStore
  readonly org: OrgStorage
  readonly imports: ImportStore
  /** The room log's rows (a new document's seed, written with the document). */
  readonly rooms: RoomStore
  /** Document versions and authorship. */
  readonly versions: VersionStore
  /** Approvals, their actions, 待办 rows and the 发文字号 register. */
  readonly approvals: ApprovalStore
}

/** @returns the stores on `db` (the storage's connection, or a unit of work's transaction). */
export function storesOn(db: Kysely<Database>): Stores {
  return {
    users: new UserStore(db),
    sessions: new SessionStore(db),
    documents: new DocumentStore(db),
    org: new OrgStore(db),
    imports: new ImportStore(db),
    rooms: new RoomStore(db),
    versions: new VersionStore(db),
    approvals: new ApprovalStore(db),
  }
}

/** What a command's callback gets: stores bound to its transaction, and its audit. */
export interface UnitOfWork extends Stores {
  /**
   * Records audit events of this command: appended to the chain, in order, when the callback
   * returns, in the same transaction (so they commit or roll back with the writes).
   * @throws Error after the callback has returned
   */
  audit(...events: AuditEvent[]): void
  /**
   * @returns a feature's own stores bound to this transaction (a feature outside the aggregates
   *   above keeps its stores in its folder and needs no edit here), e.g.
   *   `uow.bind(approvalSetupStores).devices.insert(row)`
   * @throws Error after the callback has returned
   */
  bind<S>(stores: (db: Kysely<Database>) => S): S
}

/** A command: its writes through `uow`, its result. */
export type Work<T> = (uow: UnitOfWork) => Promise<T>

/**
 * Runs `work` in one transaction with its audit entries (see the module's rules).
 * @param chain seals the audit rows; null refuses a unit of work that audits anything
 * @throws whatever `work` throws, or the database's error, after rolling everything back
 */
export async function runUnitOfWork<T>(
  db: Kysely<Database>,
  auditStore: AuditStorage,
  chain: AuditChain | null,
  work: Work<T>,
): Promise<T> {
  let appended: readonly AuditRow[] = []
  const result = await db.transaction().execute(async (trx) => {
    const uow = new TransactionWork(trx)
    let value: T
    try {
      value = await work(uow)
    } catch (error) {
      // A callback that threw is finished too: its transaction is rolled back, not reusable.
      uow.finish()
      throw error
    }
    const events = uow.finish()
    if (events.length > 0) {
      if (chain === null) {
        throw new Error('a unit of work audits, but the storage has no audit chain')
      }
      appended = await auditStore.appendWithin(trx, (last) => chain.seal(events, last))
    }
    return value
  })
  chain?.appended(appended)
  return result
}

/** The unit of work of one transaction. */
class TransactionWork implements UnitOfWork {
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly documents: DocumentStore
  readonly org: OrgStorage
  readonly imports: ImportStore
  readonly rooms: RoomStore
  readonly versions: VersionStore
  readonly approvals: ApprovalStore
  private readonly events: AuditEvent[] = []
  private finished = false

  constructor(private readonly trx: Transaction<Database>) {
    const stores = storesOn(trx)
    this.users = stores.users
    this.sessions = stores.sessions
    this.documents = stores.documents
    this.org = stores.org
    this.imports = stores.imports
    this.rooms = stores.rooms
    this.versions = stores.versions
    this.approvals = stores.approvals
  }

  audit(...events: AuditEvent[]): void {
    if (this.finished) {
      // An entry recorded after the commit began would be lost without a trace.
      throw new Error('audit() called after the unit of work returned')
    }
    this.events.push(...events)
  }

  bind<S>(stores: (db: Kysely<Database>) => S): S {
    if (this.finished) {
      // Stores on a finished transaction would fail later, far from the mistake.
      throw new Error('bind() called after the unit of work returned')
    }
    return stores(this.trx)
  }

  /** Ends the callback's part. @returns the audit events to append */
  finish(): readonly AuditEvent[] {
    this.finished = true
    return this.events
  }
}
