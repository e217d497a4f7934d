/**
 * The storage interface of the relay, and its one implementation on Kysely, which runs unchanged on
 * SQLite and PostgreSQL. Services and extensions depend on the `Storage` interface only.
 */
import { sql } from 'kysely'
import { likeContains } from './like'
import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, DocumentsTable, UsersTable } from './schema'
import type { Dialect, OpenDatabase } from './database'
import type { MemberRole } from '../../shared/domain/roles'
import { migrate } from './migrations'
import { AuditStore } from './AuditStore'
import type { AuditStorage } from './AuditStore'
import { OrgStore } from './OrgStore'
import type { OrgStorage } from './OrgStore'
import type { ImportsTable } from './schema'
import type { RoomLog, RoomLogEntry } from './roomlog/RoomLog'
import { StorageRoomLog } from './roomlog/StorageRoomLog'
import { WorkerRoomLog } from './roomlog/WorkerRoomLog'
import { UnitAccessStore } from './UnitAccessStore'

/** A user row. */
export type UserRow = Selectable<UsersTable>
/** A document row. */
export type DocumentRow = Selectable<DocumentsTable>

/** A document with the caller's role and its owner's name. */
export interface DocumentWithRole extends DocumentRow {
  readonly role: MemberRole
  readonly owner_name: string
}

/** A member of a document with the person's names. */
export interface MemberRow {
  readonly user_id: string
  readonly username: string
  readonly display_name: string
  readonly role: MemberRole
}

/** A room's stored state: the snapshot plus every update logged after it. */
export interface StoredRoom {
  readonly snapshot: Uint8Array | null
  readonly updates: readonly Uint8Array[]
  /** Id of the newest update included (snapshot or log), 0 when the room is empty. */
  readonly lastUpdateId: number
}

/** Import jobs between validation and commit. */
export interface ImportStorage {
  insert(row: Selectable<ImportsTable>): Promise<void>
  byId(id: string): Promise<Selectable<ImportsTable> | null>
  update(
    id: string,
    changes: Partial<Pick<Selectable<ImportsTable>, 'status' | 'done' | 'payload'>>,
  ): Promise<void>
}

/** Everything the relay persists. */
export interface Storage {
  readonly dialect: Dialect
  readonly audit: AuditStorage
  readonly org: OrgStorage
  readonly imports: ImportStorage
  /** Document roles granted to units (a personal role wins; see UnitAccessStore). */
  readonly unitAccess: UnitAccessStore
  /** The update log of the rooms: the relay's hot write path. */
  readonly roomLog: RoomLog
  migrate(): Promise<void>
  close(): Promise<void>

  insertUser(row: UserRow): Promise<void>
  userById(id: string): Promise<UserRow | null>
  /** The account of a username, in any case (usernames are unique without regard to case). */
  userByUsername(username: string): Promise<UserRow | null>
  updateUser(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void>
  /**
   * Records a username's lock for the admin view (`lockedUntil`); the lock itself is the limiter's.
   * The same statement runs whether or not the username exists, so timing tells nothing.
   */
  markLocked(username: string, lockedUntil: number | null, failures: number): Promise<void>
  countUsers(): Promise<number>
  searchUsers(query: string, limit: number): Promise<UserRow[]>

  insertSession(
    tokenHash: string,
    userId: string,
    now: number,
    client?: { userAgent: string | null; ip: string | null },
  ): Promise<void>
  sessionByTokenHash(tokenHash: string): Promise<{ user_id: string; last_seen_at: number } | null>
  touchSession(tokenHash: string, now: number): Promise<void>
  sessionsOfUser(userId: string): Promise<
    {
      token_hash: string
      created_at: number
      last_seen_at: number
      user_agent: string | null
      ip: string | null
    }[]
  >
  deleteSession(tokenHash: string): Promise<void>
  /** @returns the token hashes of the sessions removed (all of the account's but `except`). */
  deleteSessionsOfUser(userId: string, except?: string): Promise<string[]>

  insertDocument(row: Insertable<DocumentsTable>): Promise<void>
  documentById(id: string): Promise<DocumentRow | null>
  updateDocument(id: string, changes: Partial<Omit<DocumentRow, 'id'>>): Promise<void>
  /** Documents the user may open: personal members and those reached through a unit grant. */
  documentsOfUser(userId: string): Promise<DocumentWithRole[]>
  /** The user's effective role: the personal one, else the highest unit role that reaches them. */
  memberRole(documentId: string, userId: string): Promise<MemberRole | null>
  setMember(documentId: string, userId: string, role: MemberRole): Promise<void>
  removeMember(documentId: string, userId: string): Promise<void>
  members(documentId: string): Promise<MemberRow[]>

  /** Appends one update per entry, of any rooms, in one statement. */
  appendEntries(entries: readonly RoomLogEntry[], now: number): Promise<void>
  /** Appends updates to a room's log in one transaction. @returns the id of the last one. */
  appendUpdates(room: string, updates: readonly Uint8Array[], now: number): Promise<number>
  loadRoom(room: string): Promise<StoredRoom>
  /** Number of logged updates after the snapshot. */
  countUpdates(room: string): Promise<number>
  /** Replaces the snapshot with `data` (which folds every update ≤ lastUpdateId) and drops those updates. */
  compactRoom(room: string, data: Uint8Array, lastUpdateId: number, now: number): Promise<void>
}

function asBytes(value: Uint8Array): Uint8Array {
  // pg and better-sqlite3 return Buffers; Yjs wants plain Uint8Array views (Buffer is a subclass).
  return value
}

/** Storage on a Kysely database of either dialect. */
export class KyselyStorage implements Storage {
  readonly dialect: Dialect
  readonly audit: AuditStorage
  readonly org: OrgStorage
  readonly imports: ImportStorage
  readonly unitAccess: UnitAccessStore
  readonly roomLog: RoomLog
  private readonly db: Kysely<Database>

  constructor(open: OpenDatabase) {
    this.db = open.db
    this.dialect = open.dialect
    // better-sqlite3 blocks the thread it runs on: SQLite's log gets a worker of its own.
    this.roomLog = open.file === null ? new StorageRoomLog(this) : new WorkerRoomLog(open.file)
    this.audit = new AuditStore(open.db, open.dialect)
    this.org = new OrgStore(open.db)
    this.unitAccess = new UnitAccessStore(open.db)
    const db = open.db
    this.imports = {
      async insert(row) {
        await db.insertInto('imports').values(row).execute()
      },
      async byId(id) {
        return (
          (await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst()) ??
          null
        )
      },
      async update(id, changes) {
        await db.updateTable('imports').set(changes).where('id', '=', id).execute()
      },
    }
  }

  async migrate(): Promise<void> {
    await migrate(this.db as unknown as Kysely<unknown>, this.dialect)
  }

  async close(): Promise<void> {
    await this.roomLog.close()
    await this.db.destroy()
  }

  async insertUser(row: UserRow): Promise<void> {
    await this.db.insertInto('users').values(row).execute()
  }

  async userById(id: string): Promise<UserRow | null> {
    return (
      (await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  async userByUsername(username: string): Promise<UserRow | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      // Served by the unique index on lower(username) (011_auth_limits).
      .where(sql<string>`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst()
    return row ?? null
  }

  async markLocked(username: string, lockedUntil: number | null, failures: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ locked_until: lockedUntil, failed_logins: failures })
      .where(sql<string>`lower(username)`, '=', username.toLowerCase())
      .execute()
  }

  async updateUser(id: string, changes: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    await this.db.updateTable('users').set(changes).where('id', '=', id).execute()
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async searchUsers(query: string, limit: number): Promise<UserRow[]> {
    const pattern = likeContains(query)
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('username', 'like', pattern), eb('display_name', 'like', pattern)]))
      .orderBy('username')
      .limit(limit)
      .execute()
  }

  async insertSession(
    tokenHash: string,
    userId: string,
    now: number,
    client: { userAgent: string | null; ip: string | null } = { userAgent: null, ip: null },
  ): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash,
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        user_agent: client.userAgent,
        ip: client.ip,
      })
      .execute()
  }

  async sessionByTokenHash(
    tokenHash: string,
  ): Promise<{ user_id: string; last_seen_at: number } | null> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'last_seen_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return row ?? null
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute()
  }

  async sessionsOfUser(userId: string): Promise<
    {
      token_hash: string
      created_at: number
      last_seen_at: number
      user_agent: string | null
      ip: string | null
    }[]
  > {
    return this.db
      .selectFrom('sessions')
      .select(['token_hash', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
      .where('user_id', '=', userId)
      .orderBy('last_seen_at', 'desc')
      .execute()
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
  }

  async deleteSessionsOfUser(userId: string, except?: string): Promise<string[]> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId)
    if (except !== undefined) {
      query = query.where('token_hash', '<>', except)
    }
    const rows = await query.returning('token_hash').execute()
    return rows.map((r) => r.token_hash)
  }

  async insertDocument(row: Insertable<DocumentsTable>): Promise<void> {
    await this.db.insertInto('documents').values(row).execute()
  }

  async documentById(id: string): Promise<DocumentRow | null> {
    return (
      (await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  async updateDocument(id: string, changes: Partial<Omit<DocumentRow, 'id'>>): Promise<void> {
    await this.db.updateTable('documents').set(changes).where('id', '=', id).execute()
  }

  async documentsOfUser(userId: string): Promise<DocumentWithRole[]> {
    const units = await this.unitAccess.reachingUnits(userId)
    const rows = await this.db
      .selectFrom('documents as d')
      .innerJoin('users as o', 'o.id', 'd.owner_id')
      .leftJoin('document_members as m', (join) =>
        join.onRef('m.document_id', '=', 'd.id').on('m.user_id', '=', userId),
      )
      .select([
        'd.id',
        'd.title',
        'd.owner_id',
        'd.created_at',
        'd.updated_at',
        'd.doc_type',
        'm.role',
        'o.display_name as owner_name',
      ])
      .where((eb) =>
        units.length === 0
          ? eb('m.user_id', '=', userId)
          : eb.or([
              eb('m.user_id', '=', userId),
              eb(
                'd.id',
                'in',
                eb
                  .selectFrom('document_unit_members')
                  .select('document_id')
                  .where('unit_id', 'in', units),
              ),
            ]),
      )
      .orderBy('d.updated_at', 'desc')
      .execute()
    const viaUnit = rows.filter((r) => r.role === null).map((r) => r.id)
    const unitRoles = await this.unitAccess.unitRoles(userId, viaUnit)
    return rows.flatMap((r) => {
      const role = r.role === null ? unitRoles.get(r.id) : (r.role as MemberRole)
      return role === undefined ? [] : [{ ...r, role }]
    })
  }

  async memberRole(documentId: string, userId: string): Promise<MemberRole | null> {
    const row = await this.db
      .selectFrom('document_members')
      .select('role')
      .where('document_id', '=', documentId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (row !== undefined) {
      // A personal role wins over any unit role, even a higher one.
      return row.role as MemberRole
    }
    return (await this.unitAccess.unitRoles(userId, [documentId])).get(documentId) ?? null
  }

  async setMember(documentId: string, userId: string, role: MemberRole): Promise<void> {
    await this.db
      .insertInto('document_members')
      .values({ document_id: documentId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['document_id', 'user_id']).doUpdateSet({ role }))
      .execute()
  }

  async removeMember(documentId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('document_members')
      .where('document_id', '=', documentId)
      .where('user_id', '=', userId)
      .execute()
  }

  async members(documentId: string): Promise<MemberRow[]> {
    const rows = await this.db
      .selectFrom('document_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.username', 'u.display_name', 'm.role'])
      .where('m.document_id', '=', documentId)
      .orderBy('u.username')
      .execute()
    return rows.map((r) => ({ ...r, role: r.role as MemberRole }))
  }

  async appendEntries(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    if (entries.length === 0) {
      return
    }
    await this.db
      .insertInto('room_updates')
      .values(entries.map((entry) => ({ room: entry.room, data: entry.update, created_at: now })))
      .execute()
  }

  async appendUpdates(room: string, updates: readonly Uint8Array[], now: number): Promise<number> {
    if (updates.length === 0) {
      return 0
    }
    const rows = await this.db
      .insertInto('room_updates')
      .values(updates.map((data) => ({ room, data, created_at: now })))
      .returning('id')
      .execute()
    return Math.max(...rows.map((r) => Number(r.id)))
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    const snapshot = await this.db
      .selectFrom('room_snapshots')
      .select(['data', 'last_update_id'])
      .where('room', '=', room)
      .executeTakeFirst()
    const after = snapshot === undefined ? 0 : Number(snapshot.last_update_id)
    const rows = await this.db
      .selectFrom('room_updates')
      .select(['id', 'data'])
      .where('room', '=', room)
      .where('id', '>', after)
      .orderBy('id')
      .execute()
    const last = rows.length > 0 ? Number(rows[rows.length - 1]!.id) : after
    return {
      snapshot: snapshot === undefined ? null : asBytes(snapshot.data),
      updates: rows.map((r) => asBytes(r.data)),
      lastUpdateId: last,
    }
  }

  async countUpdates(room: string): Promise<number> {
    const row = await this.db
      .selectFrom('room_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('room', '=', room)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async compactRoom(
    room: string,
    data: Uint8Array,
    lastUpdateId: number,
    now: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('room_snapshots')
        .values({ room, data, last_update_id: lastUpdateId, updated_at: now })
        .onConflict((oc) =>
          oc.column('room').doUpdateSet({ data, last_update_id: lastUpdateId, updated_at: now }),
        )
        .execute()
      await trx
        .deleteFrom('room_updates')
        .where('room', '=', room)
        .where('id', '<=', lastUpdateId)
        .execute()
    })
  }
}
