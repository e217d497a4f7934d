/** Opens the relational store: embedded SQLite by default, PostgreSQL when a URL is given. */
import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import type pg from 'pg'
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver } from 'kysely'
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteDialectConfig } from 'kysely'
import type { Database } from './schema'
import type { Logger } from '../logger'
import { requireWhenNeeded } from '../lazyRequire'

/** The SQL dialect in use. */
export type Dialect = 'sqlite' | 'postgres'

/** An open database and its dialect. */
export interface OpenDatabase {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** The SQLite file, or null on PostgreSQL. */
  readonly file: string | null
  /**
   * The driver under Kysely, for libraries that speak to it directly (the credential limiters):
   * the pg pool, or the one better-sqlite3 connection (never a second one: it would block this
   * thread while Kysely holds the write lock on the first).
   */
  readonly native:
    | { readonly dialect: 'postgres'; readonly pool: pg.Pool }
    | { readonly dialect: 'sqlite'; readonly connection: BetterSqlite3.Database }
}

/**
 * SQLite driver whose transactions begin IMMEDIATE: they take the write lock at the start, waiting
 * up to busy_timeout for it. The room log's worker thread writes the same file on a connection of
 * its own, and a deferred transaction that reads first and writes later (the audit chain's "read the
 * last row, then append") fails at once with "database is locked" when that worker committed in
 * between: SQLite cannot upgrade a stale read snapshot, so the busy timeout never applies.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

/** How many prepared statements one SQLite connection keeps (least recently used go first). */
const STATEMENT_CACHE_SIZE = 512

/**
 * The connection as Kysely sees it, with its prepared statements kept by their SQL: Kysely's driver
 * prepares every query anew, and compiling the SQL was a fifth of the relay's CPU on a burst of
 * bookings. Safe because a better-sqlite3 statement runs to completion synchronously (nothing here
 * streams, which would hold a statement across awaits).
 */
function cachingStatements(file: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => {
      cache.clear()
      file.close()
    },
    prepare: (sql: string) => {
      const cached = cache.get(sql)
      if (cached !== undefined) {
        // Re-inserted, so the map's order is least recently used first.
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const statement = file.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value
        if (oldest !== undefined) {
          cache.delete(oldest)
        }
      }
      return statement
    },
  }
}

/** SqliteDialect with {@link ImmediateSqliteDriver}. */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config)
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config)
  }
}

/** Opens SQLite at `<dataDir>/qilu.sqlite`, or PostgreSQL at `databaseUrl`. */
export function openDatabase(options: {
  dataDir: string
  databaseUrl: string | null
  /** Hears a PostgreSQL connection lost while idle in the pool. */
  logger?: Logger
}): OpenDatabase {
  if (options.databaseUrl !== null) {
    // Loaded here, not at start: a relay on SQLite never needs the driver.
    const { Pool, types } = requireWhenNeeded<typeof pg>('pg')
    // int8 (bigint) columns hold millisecond timestamps and log ids, well inside 2^53.
    types.setTypeParser(20, (value: string) => Number(value))
    const pool = new Pool({ connectionString: options.databaseUrl, max: 10 })
    // A server restart, pg_terminate_backend or idle_session_timeout ends idle connections; the pool
    // drops them and the next query connects anew. Unheard, that 'error' would end the process.
    pool.on('error', (error) => {
      options.logger?.warn('PostgreSQL closed an idle connection; the next query opens a new one', {
        error: error.message,
      })
    })
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      file: null,
      native: { dialect: 'postgres', pool },
    }
  }
  fs.mkdirSync(options.dataDir, { recursive: true })
  const filePath = path.join(options.dataDir, 'qilu.sqlite')
  const file = new BetterSqlite3(filePath)
  // WAL keeps readers off the writer's back; synchronous=NORMAL in WAL mode is still durable
  // against process crashes (SIGKILL), which is what the update log must survive.
  file.pragma('journal_mode = WAL')
  file.pragma('synchronous = NORMAL')
  file.pragma('foreign_keys = ON')
  file.pragma('busy_timeout = 5000')
  return {
    db: new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: cachingStatements(file) }),
    }),
    dialect: 'sqlite',
    file: filePath,
    native: { dialect: 'sqlite', connection: file },
  }
}
