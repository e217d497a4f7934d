/** SQLite and PostgreSQL relays for approval set-up tests, with raw SQL on their database. */
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'

/** A relay and plain SQL on its database (for what the API does not show: audit rows, triggers). */
export interface Backend {
  readonly relay: TestRelay
  /** Runs SQL; `$1`-style parameters on both dialects. @returns the rows */
  sql(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>
  /** Runs several statements (DDL, triggers). */
  exec(text: string): Promise<void>
  stop(): Promise<void>
}

/** The backends each test file runs on. */
export const BACKENDS: { readonly name: string; start(): Promise<Backend> }[] = [
  {
    name: 'SQLite',
    async start() {
      const relay = await startTestRelay()
      const file = path.join(relay.dataDir, 'qilu.sqlite')
      return {
        relay,
        async sql(text, params = []) {
          const db = new BetterSqlite3(file)
          try {
            const statement = db.prepare(text.replace(/\$\d+/g, '?'))
            return statement.reader
              ? (statement.all(...params) as Record<string, unknown>[])
              : (statement.run(...params), [])
          } finally {
            db.close()
          }
        },
        async exec(text) {
          const db = new BetterSqlite3(file)
          try {
            db.exec(text)
          } finally {
            db.close()
          }
        },
        stop: () => relay.close(),
      }
    },
  },
  {
    name: 'PostgreSQL',
    async start() {
      const database = await createTestDatabase()
      const relay = await startTestRelay({ databaseUrl: database.url })
      return {
        relay,
        async sql(text, params = []) {
          const client = new pg.Client({ connectionString: database.url })
          await client.connect()
          try {
            return (await client.query(text, [...params])).rows as Record<string, unknown>[]
          } finally {
            await client.end()
          }
        },
        async exec(text) {
          const client = new pg.Client({ connectionString: database.url })
          await client.connect()
          try {
            await client.query(text)
          } finally {
            await client.end()
          }
        },
        async stop() {
          await relay.close()
          await database.drop()
        },
      }
    },
  },
]
