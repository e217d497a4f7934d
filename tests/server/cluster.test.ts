/**
 * `npm run cluster -- --nodes N` (scripts/cluster.mjs): N built relays on one PostgreSQL database
 * and one Redis, any node serving any room; Ctrl+C stops them all.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compiledEntry } from '../utils/compiledServer'
import { freePort } from '../utils/process'
import { ADMIN_PASSWORD, PG_ADMIN_URL, TEST_AUDIT_KEY, adminClient } from '../utils/relay'
import { captureFile } from '../utils/logCapture'
import { connect, synced, text, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'

const ROOT = path.resolve(import.meta.dirname, '../..')
const NODES = 3
const DB = `qilu_cluster_test_${process.pid}`
let cluster: ChildProcess
let output = ''
let exited: Promise<number | null>
let basePort: number
const clients: Client[] = []

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
  await admin.end()
}

beforeAll(async () => {
  // Ports base … base + NODES − 1 must be free: take a free one and check the next ones too.
  for (;;) {
    basePort = await freePort()
    const next = await Promise.all(
      Array.from({ length: NODES - 1 }, (_, i) =>
        fetch(`http://127.0.0.1:${basePort + i + 1}`).then(
          () => false,
          () => true,
        ),
      ),
    )
    if (basePort + NODES < 65535 && next.every(Boolean)) {
      break
    }
  }
  cluster = spawn(
    process.execPath,
    [
      'scripts/cluster.mjs',
      '--nodes',
      String(NODES),
      '--base-port',
      String(basePort),
      '--relay',
      await compiledEntry('main'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        QILU_CLUSTER_DB: DB,
        QILU_CLUSTER_PG: PG_ADMIN_URL,
        QILU_REDIS_PREFIX: `qilu-test-${DB}`,
        QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
        QILU_AUDIT_KEY: TEST_AUDIT_KEY,
        QILU_LOG_FILE: captureFile(),
        QILU_QUIET: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  cluster.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  cluster.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  exited = new Promise((resolve) => cluster.once('exit', (code) => resolve(code)))
  await waitFor(() => output.includes('CLUSTER READY'), `the cluster (${output})`, 90_000)
}, 120_000)

afterAll(async () => {
  clients.forEach((client) => client.destroy())
  if (cluster.exitCode === null) {
    cluster.kill('SIGKILL')
  }
  await dropDatabase()
  fs.rmSync(path.join(ROOT, 'data', DB), { recursive: true, force: true })
})

describe('npm run cluster', () => {
  test('starts three nodes on one database and Redis, and says where they are', async () => {
    for (let n = 1; n <= NODES; n++) {
      const url = `http://127.0.0.1:${basePort + n - 1}`
      expect(output).toContain(`node-${n}  ${url}`)
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200)
    }
    expect(output).toContain(`/${DB}`)
    expect(output).toContain('Ctrl+C')
  })

  test('two clients on two different nodes co-edit one document; a third node serves it too', async () => {
    const nodeUrl = (n: number): string => `http://127.0.0.1:${basePort + n - 1}`
    const wsUrl = (n: number): string => `ws://127.0.0.1:${basePort + n - 1}/sync`
    // Accounts made on node 1, the document on node 2: one database behind them all.
    const admin = await adminClient({ url: nodeUrl(1) })
    const one = await admin.createUser('cluster.one', '一号')
    const two = await admin.createUser('cluster.two', '二号')
    const id = await one.api.createDocument('三节点')
    await one.api.share(id, two.userId, 'editor')

    const a = connect(wsUrl(1), `doc:${id}`, one.token)
    const b = connect(wsUrl(2), `doc:${id}`, two.token)
    clients.push(a, b)
    await Promise.all([synced(a), synced(b)])
    a.doc.getText('text').insert(0, '济南')
    b.doc.getText('text').insert(0, '青岛')
    await waitFor(() => text(a).length === 4 && text(a) === text(b), 'cross-node convergence')

    const c = connect(wsUrl(3), `doc:${id}`, one.token)
    clients.push(c)
    await synced(c)
    await waitFor(() => text(c) === text(a), 'the third node to serve the document')
  })

  test('Ctrl+C stops every node, and the script with them', async () => {
    cluster.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(output).toContain('cluster stopped')
    for (let n = 1; n <= NODES; n++) {
      const answered = await fetch(`http://127.0.0.1:${basePort + n - 1}/api/v1/health`).then(
        () => true,
        () => false,
      )
      expect(answered, `node-${n}`).toBe(false)
    }
  })
})
