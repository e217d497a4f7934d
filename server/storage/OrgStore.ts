/** Units, posts and the directory's queries in the relational store. */
import { sql } from 'kysely'
import { likeContains, likePrefix } from './like'
import { inTransaction } from './transaction'
import type { Kysely, Selectable } from 'kysely'
import type { Database, PostsTable, UnitsTable, UsersTable } from './schema'

/** A unit row. */
export type UnitRow = Selectable<UnitsTable>
/** A post row. */
export type PostRow = Selectable<PostsTable>
/** A user row. */
type UserRow = Selectable<UsersTable>

/** Filters of the account list and directory search. */
export interface UserFilter {
  /** Only accounts whose primary unit lies under this path prefix. */
  readonly unitPath?: string | undefined
  /** Name, username, pinyin or initials. */
  readonly query?: string | undefined
  readonly active?: boolean | undefined
  /** Leave out accounts holding any of these roles. */
  readonly withoutRoles?: readonly string[] | undefined
}

/** What the org tree needs from storage. */
export interface OrgStorage {
  insertUnit(row: UnitRow): Promise<void>
  unitById(id: string): Promise<UnitRow | null>
  unitByCode(code: string): Promise<UnitRow | null>
  units(pathPrefix?: string): Promise<UnitRow[]>
  updateUnit(
    id: string,
    changes: Partial<Pick<UnitRow, 'name' | 'code' | 'sort_order' | 'kind'>>,
  ): Promise<void>
  /** Moves a unit: rewrites its parent and the paths of its whole subtree in one transaction. */
  moveUnit(id: string, parentId: string, oldPath: string, newPath: string): Promise<void>
  deleteUnit(id: string): Promise<void>
  /** @returns how many units and accounts hang under a unit (for safe deletion). */
  unitUsage(id: string, path: string): Promise<{ units: number; accounts: number }>

  postsOfUsers(userIds: readonly string[]): Promise<PostRow[]>
  /** Replaces an account's posts. */
  setPosts(userId: string, posts: readonly PostRow[]): Promise<void>
  /** Inserts accounts with their posts in one transaction (bulk import). */
  insertAccounts(users: readonly UserRow[], posts: readonly PostRow[]): Promise<void>
  /** @returns which of these usernames exist already, in lower case (usernames are unique in any case). */
  existingUsernames(usernames: readonly string[]): Promise<Set<string>>

  /** Accounts matching a filter, ordered by unit then name. */
  users(
    filter: UserFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: (UserRow & { unit_path: string | null })[]; total: number }>
  /**
   * Directory search over active accounts: ASCII queries match pinyin, initials and username
   * prefixes (index range scans); other queries match names, post titles and unit names.
   */
  directorySearch(query: string, unitPath: string | undefined, limit: number): Promise<UserRow[]>
  /** Every active account's search keys and placements, in pinyin order (the directory index). */
  directorySource(): Promise<{
    users: Pick<
      UserRow,
      | 'id'
      | 'display_name'
      | 'pinyin'
      | 'initials'
      | 'username'
      | 'phone'
      | 'phone_visibility'
      | 'roles'
      | 'unit_id'
    >[]
    placements: { user_id: string; title: string; unit_name: string; unit_path: string }[]
  }>
  /** Accounts by id, in no particular order. */
  usersByIds(ids: readonly string[]): Promise<UserRow[]>
  /** Active accounts holding a post directly in a unit (a directory room's content). */
  unitMembers(unitId: string): Promise<UserRow[]>
}

/** OrgStorage on Kysely. */
export class OrgStore implements OrgStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async insertUnit(row: UnitRow): Promise<void> {
    await this.db.insertInto('units').values(row).execute()
  }

  async unitById(id: string): Promise<UnitRow | null> {
    return (
      (await this.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst()) ??
      null
    )
  }

  async unitByCode(code: string): Promise<UnitRow | null> {
    return (
      (await this.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst()) ??
      null
    )
  }

  async units(pathPrefix?: string): Promise<UnitRow[]> {
    let query = this.db.selectFrom('units').selectAll()
    if (pathPrefix !== undefined) {
      query = query.where('path', 'like', likePrefix(pathPrefix))
    }
    return query.orderBy('path').execute()
  }

  async updateUnit(
    id: string,
    changes: Partial<Pick<UnitRow, 'name' | 'code' | 'sort_order' | 'kind'>>,
  ): Promise<void> {
    await this.db.updateTable('units').set(changes).where('id', '=', id).execute()
  }

  async moveUnit(id: string, parentId: string, oldPath: string, newPath: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx.updateTable('units').set({ parent_id: parentId }).where('id', '=', id).execute()
      await trx
        .updateTable('units')
        .set({ path: sql<string>`${newPath} || substr(path, ${oldPath.length + 1})` })
        .where('path', 'like', likePrefix(oldPath))
        .execute()
    })
  }

  async deleteUnit(id: string): Promise<void> {
    await this.db.deleteFrom('units').where('id', '=', id).execute()
  }

  async unitUsage(id: string, path: string): Promise<{ units: number; accounts: number }> {
    const units = await this.db
      .selectFrom('units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('path', 'like', likePrefix(path))
      .where('id', '!=', id)
      .executeTakeFirstOrThrow()
    const posts = await this.db
      .selectFrom('posts')
      .innerJoin('units', 'units.id', 'posts.unit_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('units.path', 'like', likePrefix(path))
      .executeTakeFirstOrThrow()
    return { units: Number(units.n), accounts: Number(posts.n) }
  }

  async postsOfUsers(userIds: readonly string[]): Promise<PostRow[]> {
    if (userIds.length === 0) {
      return []
    }
    return this.db
      .selectFrom('posts')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .orderBy('is_primary', 'desc')
      .orderBy('sort_order')
      .execute()
  }

  async setPosts(userId: string, posts: readonly PostRow[]): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx.deleteFrom('posts').where('user_id', '=', userId).execute()
      if (posts.length > 0) {
        await trx
          .insertInto('posts')
          .values([...posts])
          .execute()
      }
    })
  }

  async insertAccounts(users: readonly UserRow[], posts: readonly PostRow[]): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      // SQLite caps bound parameters per statement (32766); 20 columns × 1000 rows stays under it.
      for (let i = 0; i < users.length; i += 1000) {
        await trx
          .insertInto('users')
          .values(users.slice(i, i + 1000))
          .execute()
      }
      for (let i = 0; i < posts.length; i += 1000) {
        await trx
          .insertInto('posts')
          .values(posts.slice(i, i + 1000))
          .execute()
      }
    })
  }

  async existingUsernames(usernames: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>()
    const lower = [...new Set(usernames.map((u) => u.toLowerCase()))]
    for (let i = 0; i < lower.length; i += 500) {
      const rows = await this.db
        .selectFrom('users')
        .select('username')
        // Served by the unique index on lower(username) (011_auth_limits).
        .where(sql<string>`lower(username)`, 'in', lower.slice(i, i + 500))
        .execute()
      rows.forEach((r) => found.add(r.username.toLowerCase()))
    }
    return found
  }

  async users(
    filter: UserFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: (UserRow & { unit_path: string | null })[]; total: number }> {
    let query = this.db.selectFrom('users').leftJoin('units', 'units.id', 'users.unit_id')
    if (filter.unitPath !== undefined) {
      query = query.where('units.path', 'like', likePrefix(filter.unitPath))
    }
    if (filter.active !== undefined) {
      query = query.where('users.active', '=', filter.active ? 1 : 0)
    }
    for (const role of filter.withoutRoles ?? []) {
      // roles is a JSON array of role names: '["sysadmin","drafter"]'.
      query = query.where('users.roles', 'not like', likeContains(JSON.stringify(role)))
    }
    const q = filter.query?.trim().toLowerCase() ?? ''
    if (q !== '') {
      query = query.where((eb) =>
        eb.or([
          eb('users.display_name', 'like', likeContains(q)),
          eb('users.username', 'like', likePrefix(q)),
          // Range scans keep pinyin and initials prefix searches on their indexes.
          eb.and([eb('users.pinyin', '>=', q), eb('users.pinyin', '<', `${q}\u{ffff}`)]),
          eb.and([eb('users.initials', '>=', q), eb('users.initials', '<', `${q}\u{ffff}`)]),
        ]),
      )
    }
    const [rows, count] = await Promise.all([
      query
        .selectAll('users')
        .select('units.path as unit_path')
        .orderBy('users.display_name')
        .orderBy('users.id')
        .limit(limit)
        .offset(offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(count.n) }
  }

  async directorySearch(
    query: string,
    unitPath: string | undefined,
    limit: number,
  ): Promise<UserRow[]> {
    const q = query.trim().toLowerCase()
    let base = this.db.selectFrom('users').where('users.active', '=', 1)
    // Membership tests are uncorrelated IN (…) subqueries: both databases evaluate them once (SQLite
    // into an ephemeral index, PostgreSQL as a hashed semi-join) while walking users by pinyin. A
    // correlated EXISTS per account cost seconds at 100,000 accounts.
    if (unitPath !== undefined) {
      base = base.where('users.id', 'in', (eb) =>
        eb
          .selectFrom('posts')
          .select('posts.user_id')
          .where('posts.unit_id', 'in', (inner) =>
            inner
              .selectFrom('units')
              .select('units.id')
              .where('units.path', 'like', likePrefix(unitPath)),
          ),
      )
    }
    if (q === '') {
      return base.selectAll('users').orderBy('users.pinyin').limit(limit).execute()
    }
    if (/^[a-z0-9._-]+$/.test(q)) {
      const end = `${q}\u{ffff}`
      return base
        .selectAll('users')
        .where((eb) =>
          eb.or([
            eb.and([eb('users.pinyin', '>=', q), eb('users.pinyin', '<', end)]),
            eb.and([eb('users.initials', '>=', q), eb('users.initials', '<', end)]),
            eb.and([eb('users.username', '>=', q), eb('users.username', '<', end)]),
          ]),
        )
        .orderBy('users.pinyin')
        .limit(limit)
        .execute()
    }
    const pattern = likeContains(q)
    return base
      .selectAll('users')
      .where((eb) =>
        eb.or([
          eb('users.display_name', 'like', pattern),
          eb('users.id', 'in', (sub) =>
            sub
              .selectFrom('posts')
              .select('posts.user_id')
              .where((inner) =>
                inner.or([
                  inner('posts.title', 'like', pattern),
                  inner('posts.unit_id', 'in', (units) =>
                    units
                      .selectFrom('units')
                      .select('units.id')
                      .where('units.name', 'like', pattern),
                  ),
                ]),
              ),
          ),
        ]),
      )
      .orderBy('users.pinyin')
      .limit(limit)
      .execute()
  }

  async directorySource() {
    const users = await this.db
      .selectFrom('users')
      .select([
        'id',
        'display_name',
        'pinyin',
        'initials',
        'username',
        'phone',
        'phone_visibility',
        'roles',
        'unit_id',
      ])
      .where('active', '=', 1)
      .orderBy('pinyin')
      .orderBy('id')
      .execute()
    const placements = await this.db
      .selectFrom('posts')
      .innerJoin('units', 'units.id', 'posts.unit_id')
      .select([
        'posts.user_id',
        'posts.title',
        'units.name as unit_name',
        'units.path as unit_path',
      ])
      .execute()
    return { users, placements }
  }

  async usersByIds(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) {
      return []
    }
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute()
  }

  async unitMembers(unitId: string): Promise<UserRow[]> {
    return (
      this.db
        .selectFrom('users')
        .selectAll('users')
        .where('users.active', '=', 1)
        // IN (…) lets the planner start from posts_unit; with EXISTS it walked users_pinyin over
        // every account and probed posts per row (seconds per unit at 10,000 accounts).
        .where('users.id', 'in', (eb) =>
          eb.selectFrom('posts').select('posts.user_id').where('posts.unit_id', '=', unitId),
        )
        .orderBy('users.pinyin')
        .execute()
    )
  }
}
