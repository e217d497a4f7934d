/**
 * The relay's storage: the relational stores by aggregate (users and sessions, documents and their
 * ACL, the org tree, imports, the audit log, the room log), on Kysely, which runs unchanged on
 * SQLite and PostgreSQL, and units of work that run a command's writes and audit in one
 * transaction (UnitOfWork.ts).
 */
import type { Insertable, Kysely } from 'kysely'
import type { Database, DocumentsTable } from './schema'
import type { Dialect, OpenDatabase } from './database'
import type { MemberRole } from '../../shared/domain/roles'
import { migrate } from './migrations'
import { AuditStore } from './AuditStore'
import type { AuditChain, AuditStorage } from './AuditStore'
import type { OrgStorage } from './OrgStore'
import type { RoomLog, RoomLogEntry, StoredRoom } from './roomlog/RoomLog'
import { StorageRoomLog } from './roomlog/StorageRoomLog'
import { WorkerRoomLog } from './roomlog/WorkerRoomLog'
import type { RoomStore } from './roomlog/RoomStore'
import type { UnitAccessStore } from './documents/UnitAccessStore'
import type { UserRow, UserStore } from './users/UserStore'
import type { SessionStore } from './users/SessionStore'
import type {
  DocumentRow,
  DocumentStore,
  DocumentWithRole,
  MemberRow,
} from './documents/DocumentStore'
import type { ImportStore } from './ImportStore'
import { runUnitOfWork, storesOn } from './UnitOfWork'
import type { Stores, Work } from './UnitOfWork'

export type { UserRow } from './users/UserStore'
export type { DocumentRow, DocumentWithRole, MemberRow } from './documents/DocumentStore'
export type { StoredRoom } from './roomlog/RoomLog'
export type { UnitOfWork } from './UnitOfWork'

/** Import jobs between validation and commit. */
export type ImportStorage = ImportStore

/** Everything the relay persists. */
export interface Storage extends Stores {
  readonly dialect: Dialect
  readonly audit: AuditStorage
  /** Document roles granted to units (a personal role wins; see UnitAccessStore). */
  readonly unitAccess: UnitAccessStore
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

  /** @deprecated use `users.insert` */
  insertUser(row: UserRow): Promise<void>
  /** @deprecated use `users.byId` */
  userById(id: string): Promise<UserRow | null>
  /** @deprecated use `users.byUsername` */
  userByUsername(username: string): Promise<UserRow | null>
  /** @deprecated use `users.update` */
  updateUser(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void>
  /** @deprecated use `users.markLocked` */
  markLocked(username: string, lockedUntil: number | null, failures: number): Promise<void>
  /** @deprecated use `users.count` */
  countUsers(): Promise<number>
  /** @deprecated use `users.search` */
  searchUsers(query: string, limit: number): Promise<UserRow[]>
  /** @deprecated use `sessions.insert` */
  insertSession(
    tokenHash: string,
    userId: string,
    now: number,
    client?: { userAgent: string | null; ip: string | null },
  ): Promise<void>
  /** @deprecated use `sessions.byTokenHash` */
  sessionByTokenHash(tokenHash: string): Promise<{ user_id: string; last_seen_at: number } | null>
  /** @deprecated use `sessions.touch` */
  touchSession(tokenHash: string, now: number): Promise<void>
  /** @deprecated use `sessions.ofUser` */
  sessionsOfUser(userId: string): ReturnType<SessionStore['ofUser']>
  /** @deprecated use `sessions.delete` */
  deleteSession(tokenHash: string): Promise<void>
  /** @deprecated use `sessions.deleteOfUser` */
  deleteSessionsOfUser(userId: string, except?: string): Promise<string[]>
  /** @deprecated use `documents.insert` */
  insertDocument(row: Insertable<DocumentsTable>): Promise<void>
  /** @deprecated use `documents.byId` */
  documentById(id: string): Promise<DocumentRow | null>
  /** @deprecated use `documents.update` */
  updateDocument(id: string, changes: Partial<Omit<DocumentRow, 'id'>>): Promise<void>
  /** @deprecated use `documents.ofUser` */
  documentsOfUser(userId: string): Promise<DocumentWithRole[]>
  /** @deprecated use `documents.memberRole` */
  memberRole(documentId: string, userId: string): Promise<MemberRole | null>
  /** @deprecated use `documents.setMember` */
  setMember(documentId: string, userId: string, role: MemberRole): Promise<void>
  /** @deprecated use `documents.removeMember` */
  removeMember(documentId: string, userId: string): Promise<void>
  /** @deprecated use `documents.members` */
  members(documentId: string): Promise<MemberRow[]>
  /** @deprecated use `rooms.appendEntries` */
  appendEntries(entries: readonly RoomLogEntry[], now: number): Promise<void>
  /** @deprecated use `rooms.appendUpdates` */
  appendUpdates(room: string, updates: readonly Uint8Array[], now: number): Promise<number>
  /** @deprecated use `rooms.load` */
  loadRoom(room: string): Promise<StoredRoom>
  /** @deprecated use `rooms.countUpdates` */
  countUpdates(room: string): Promise<number>
  /** @deprecated use `rooms.compact` */
  compactRoom(room: string, data: Uint8Array, lastUpdateId: number, now: number): Promise<void>
}

/** Storage on a Kysely database of either dialect. */
export class KyselyStorage implements Storage {
  readonly dialect: Dialect
  readonly audit: AuditStore
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly documents: DocumentStore
  readonly unitAccess: UnitAccessStore
  readonly org: OrgStorage
  readonly imports: ImportStore
  readonly rooms: RoomStore
  readonly roomLog: RoomLog
  private readonly db: Kysely<Database>
  private chain: AuditChain | null = null

  constructor(open: OpenDatabase) {
    this.db = open.db
    this.dialect = open.dialect
    const stores = storesOn(open.db)
    this.users = stores.users
    this.sessions = stores.sessions
    this.documents = stores.documents
    this.unitAccess = stores.documents.unitAccess
    this.org = stores.org
    this.imports = stores.imports
    this.rooms = stores.rooms
    this.audit = new AuditStore(open.db, open.dialect)
    // better-sqlite3 blocks the thread it runs on: SQLite's log gets a worker of its own.
    this.roomLog =
      open.file === null ? new StorageRoomLog(stores.rooms) : new WorkerRoomLog(open.file)
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

  insertUser(row: UserRow): Promise<void> {
    return this.users.insert(row)
  }
  userById(id: string): Promise<UserRow | null> {
    return this.users.byId(id)
  }
  userByUsername(username: string): Promise<UserRow | null> {
    return this.users.byUsername(username)
  }
  updateUser(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    return this.users.update(id, changes)
  }
  markLocked(username: string, lockedUntil: number | null, failures: number): Promise<void> {
    return this.users.markLocked(username, lockedUntil, failures)
  }
  countUsers(): Promise<number> {
    return this.users.count()
  }
  searchUsers(query: string, limit: number): Promise<UserRow[]> {
    return this.users.search(query, limit)
  }
  insertSession(
    tokenHash: string,
    userId: string,
    now: number,
    client?: { userAgent: string | null; ip: string | null },
  ): Promise<void> {
    return this.sessions.insert(tokenHash, userId, now, client)
  }
  sessionByTokenHash(tokenHash: string): Promise<{ user_id: string; last_seen_at: number } | null> {
    return this.sessions.byTokenHash(tokenHash)
  }
  touchSession(tokenHash: string, now: number): Promise<void> {
    return this.sessions.touch(tokenHash, now)
  }
  sessionsOfUser(userId: string): ReturnType<SessionStore['ofUser']> {
    return this.sessions.ofUser(userId)
  }
  deleteSession(tokenHash: string): Promise<void> {
    return this.sessions.delete(tokenHash)
  }
  deleteSessionsOfUser(userId: string, except?: string): Promise<string[]> {
    return this.sessions.deleteOfUser(userId, except)
  }
  insertDocument(row: Insertable<DocumentsTable>): Promise<void> {
    return this.documents.insert(row)
  }
  documentById(id: string): Promise<DocumentRow | null> {
    return this.documents.byId(id)
  }
  updateDocument(id: string, changes: Partial<Omit<DocumentRow, 'id'>>): Promise<void> {
    return this.documents.update(id, changes)
  }
  documentsOfUser(userId: string): Promise<DocumentWithRole[]> {
    return this.documents.ofUser(userId)
  }
  memberRole(documentId: string, userId: string): Promise<MemberRole | null> {
    return this.documents.memberRole(documentId, userId)
  }
  setMember(documentId: string, userId: string, role: MemberRole): Promise<void> {
    return this.documents.setMember(documentId, userId, role)
  }
  removeMember(documentId: string, userId: string): Promise<void> {
    return this.documents.removeMember(documentId, userId)
  }
  members(documentId: string): Promise<MemberRow[]> {
    return this.documents.members(documentId)
  }
  appendEntries(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    return this.rooms.appendEntries(entries, now)
  }
  appendUpdates(room: string, updates: readonly Uint8Array[], now: number): Promise<number> {
    return this.rooms.appendUpdates(room, updates, now)
  }
  loadRoom(room: string): Promise<StoredRoom> {
    return this.rooms.load(room)
  }
  countUpdates(room: string): Promise<number> {
    return this.rooms.countUpdates(room)
  }
  compactRoom(room: string, data: Uint8Array, lastUpdateId: number, now: number): Promise<void> {
    return this.rooms.compact(room, data, lastUpdateId, now)
  }
}
