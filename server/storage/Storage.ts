/**
 * The relay's storage: the relational stores by aggregate (users and sessions, documents and their
 * ACL, the org tree, imports, the audit log, the room log), on Kysely, which runs unchanged on
 * SQLite and PostgreSQL, and units of work that run a command's writes and audit in one
 * transaction (UnitOfWork.ts).
 */
import type { Kysely } from 'kysely'
import type { Database } from './schema'
import type { Dialect, OpenDatabase } from './database'
import { migrate } from './migrations'
import { AuditStore } from './AuditStore'
import type { AuditChain, AuditStorage } from './AuditStore'
import type { OrgStorage } from './OrgStore'
import type { RoomLog } from './roomlog/RoomLog'
import { StorageRoomLog } from './roomlog/StorageRoomLog'
import { WorkerRoomLog } from './roomlog/WorkerRoomLog'
import { IdleClosingRoomLog } from './roomlog/IdleClosingRoomLog'
import type { RoomStore } from './roomlog/RoomStore'
import type { UserRow, UserStore } from './users/UserStore'
import { SessionStore } from './users/SessionStore'
import { GatheredSessionReads } from './users/GatheredSessionReads'
import type { DocumentStore } from './documents/DocumentStore'
import type { ImportStore } from './ImportStore'
import type { VersionStore } from './VersionStore'
import type { ApprovalStore } from './approvals/ApprovalStore'
import { runUnitOfWork, storesOn } from './UnitOfWork'
import type { Stores, Work } from './UnitOfWork'

export type { UnitOfWork } from './UnitOfWork'

/** Everything the relay persists. */
export interface Storage extends Stores {
  readonly dialect: Dialect
  readonly audit: AuditStorage
  /** The update log of the rooms: the relay's hot write path. */
  readonly roomLog: RoomLog
  migrate(): Promise<void>
  close(): Promise<void>
  /**
   * Runs a command's writes and its audit entries in one transaction (UnitOfWork.ts).
   * @throws whatever `work` throws, after rolling back its writes and its audit entries
   */
  unitOfWork<T>(work: Work<T>): Promise<T>
  /** Sets what seals the audit rows of units of work (the AuditService, once it is built). */
  useAuditChain(chain: AuditChain): void

  /**
   * @deprecated use `users.search`; kept while route modules call it (server/http/userRoutes.ts).
   */
  searchUsers(query: string, limit: number): Promise<UserRow[]>
}

/** Storage on a Kysely database of either dialect. */
export class KyselyStorage implements Storage {
  readonly dialect: Dialect
  readonly audit: AuditStore
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly documents: DocumentStore
  readonly org: OrgStorage
  readonly imports: ImportStore
  readonly rooms: RoomStore
  readonly versions: VersionStore
  readonly approvals: ApprovalStore
  readonly roomLog: RoomLog
  private readonly db: Kysely<Database>
  private chain: AuditChain | null = null

  constructor(open: OpenDatabase) {
    this.db = open.db
    this.dialect = open.dialect
    const stores = storesOn(open.db)
    this.users = stores.users
    this.sessions =
      open.dialect === 'postgres'
        ? new SessionStore(open.db, new GatheredSessionReads(open.db))
        : stores.sessions
    this.documents = stores.documents
    this.org = stores.org
    this.imports = stores.imports
    this.rooms = stores.rooms
    this.versions = stores.versions
    this.approvals = stores.approvals
    this.audit = new AuditStore(open.db, open.dialect)
    // better-sqlite3 blocks the thread it runs on: SQLite's log gets a worker of its own, which
    // stops when the log idles (a relay nobody edits on gives its memory back, issue 23).
    const file = open.file
    this.roomLog =
      file === null
        ? new StorageRoomLog(stores.rooms)
        : new IdleClosingRoomLog(() => new WorkerRoomLog(file))
  }

  async migrate(): Promise<void> {
    await migrate(this.db as unknown as Kysely<unknown>, this.dialect)
  }

  async close(): Promise<void> {
    await this.roomLog.close()
    await this.db.destroy()
  }

  unitOfWork<T>(work: Work<T>): Promise<T> {
    return runUnitOfWork(this.db, this.audit, this.chain, work)
  }

  useAuditChain(chain: AuditChain): void {
    this.chain = chain
  }

  searchUsers(query: string, limit: number): Promise<UserRow[]> {
    return this.users.search(query, limit)
  }
}
