/**
 * Several relay nodes for failure tests: built relays (spawnRelay) on one PostgreSQL test database
 * and a Redis of the test's own (a `redis-server` child on a free port, never the machine's shared
 * one, so it can be killed and started again), and a reader of the room log straight from
 * PostgreSQL (what survives any node).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import * as Y from 'yjs'
import { ADMIN_PASSWORD, TEST_AUDIT_KEY } from './relay'
import { spawnRelay } from './process'
import type { RelayProcess } from './process'
import { waitFor } from './yclient'

/** A redis-server child process of one test. */
export interface OwnRedis {
  readonly port: number
  readonly url: string
  /** Kills it (SIGKILL): its memory is gone, as after a crash of the Redis host. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>
}

/** Starts `redis-server` on `port` without persistence, as a child of this process. */
export async function startOwnRedis(port: number): Promise<OwnRedis> {
  let child: ChildProcess | null = null
  const start = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child = started
    await waitFor(() => output.includes('Ready to accept connections'), `redis (${output})`, 10_000)
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const running = child
      if (running === null || running.exitCode !== null || running.signalCode !== null) {
        return
      }
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGKILL')
      await exited
      child = null
    },
    restart: start,
  }
}

/** The environment of one node of a test cluster. */
export function nodeEnv(
  databaseUrl: string,
  redisUrl: string,
  prefix: string,
): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-node-'))
  return {
    QILU_DATA_DIR: dataDir,
    QILU_DATABASE_URL: databaseUrl,
    QILU_REDIS_URL: redisUrl,
    QILU_REDIS_PREFIX: prefix,
    QILU_AUDIT_KEY: TEST_AUDIT_KEY,
    QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    QILU_QUIET: '1',
    QILU_WEB_ROOT: path.join(dataDir, 'no-client'),
  }
}

/** Starts a built relay node on `port`. */
export function startNode(env: Record<string, string>, port: number): Promise<RelayProcess> {
  return spawnRelay(env, port)
}

/** @returns the text of a room as PostgreSQL's room log holds it (snapshot and updates). */
export async function storedText(databaseUrl: string, room: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const doc = new Y.Doc()
    const snapshot = await client.query<{ data: Uint8Array }>(
      'SELECT data FROM room_snapshots WHERE room = $1',
      [room],
    )
    for (const row of snapshot.rows) {
      Y.applyUpdate(doc, row.data)
    }
    const updates = await client.query<{ data: Uint8Array }>(
      'SELECT data FROM room_updates WHERE room = $1 ORDER BY id',
      [room],
    )
    for (const row of updates.rows) {
      Y.applyUpdate(doc, row.data)
    }
    return doc.getText('text').toString()
  } finally {
    await client.end()
  }
}

/**
 * Ends every connection to `databaseUrl`'s database but this one's (pg_terminate_backend): what the
 * relay sees when PostgreSQL restarts, without restarting the shared cluster.
 * @param except the pid of one more connection to keep
 * @returns how many connections were ended
 */
export async function terminateConnections(databaseUrl: string, except = 0): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const result = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1`,
      [except],
    )
    return result.rows.filter((row) => row.ended).length
  } finally {
    await client.end()
  }
}
