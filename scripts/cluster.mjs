// `npm run cluster -- --nodes 3`: several relays sharing rooms for development, as production runs
// them behind a load balancer: one PostgreSQL database and one Redis, any node serving any room.
// Builds the relay once (out/server, as `npm start` does), creates the database when it is missing,
// starts node 1 (which migrates the database and makes the admin), then the others on the ports
// after it, prints where everything is, and stops every node on Ctrl+C (each flushes its rooms).
//
// Options: --nodes N (1–9, default 3), --base-port P (default 8081), --relay <built main.js>
// (skip the build). Environment: QILU_CLUSTER_DB (database name, default qilu_cluster) on
// QILU_CLUSTER_PG (default postgres://postgres@127.0.0.1:5432/postgres), or QILU_DATABASE_URL
// for an existing database; QILU_REDIS_URL (default redis://127.0.0.1:6379); QILU_ADMIN_PASSWORD.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import pg from 'pg'
import { buildServer } from './buildServer.mjs'
import { relayEnv, relayNodeArgs } from './relayProcess.mjs'

const root = path.resolve(import.meta.dirname, '..')

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback
}

/** Nodes started so far, by number. */
const running = new Map()
let stopping = false

function fail(message) {
  process.stderr.write(`集群启动失败 (cluster failed): ${message}\n`)
  stopping = true
  for (const child of running.values()) {
    child.kill('SIGTERM')
  }
  process.exit(1)
}

const nodes = Number(option('nodes', '3'))
const basePort = Number(option('base-port', '8081'))
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
  fail(`--nodes must be 1 to 9, got ${option('nodes', '')}`)
}
if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodes - 1 > 65535) {
  fail(`--base-port must be a port number, got ${option('base-port', '')}`)
}

const dbName = process.env.QILU_CLUSTER_DB || 'qilu_cluster'
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
  fail(`QILU_CLUSTER_DB must be a plain lower-case name, got ${dbName}`)
}
const adminUrl = process.env.QILU_CLUSTER_PG || 'postgres://postgres@127.0.0.1:5432/postgres'
const redisUrl = process.env.QILU_REDIS_URL || 'redis://127.0.0.1:6379'
const redisPrefix = process.env.QILU_REDIS_PREFIX || `qilu-${dbName}`
const dataRoot = path.resolve(root, 'data', dbName)

/** @returns the URL of the cluster's database, created when it does not exist. */
async function database() {
  if (process.env.QILU_DATABASE_URL) {
    return process.env.QILU_DATABASE_URL
  }
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect().catch((error) => fail(`PostgreSQL at ${adminUrl}: ${error.message}`))
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${dbName}`)
    }
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  return url.toString()
}

/** Every node of one database must share the audit key; kept next to the nodes' data. */
function auditKey() {
  if (process.env.QILU_AUDIT_KEY) {
    return process.env.QILU_AUDIT_KEY
  }
  const file = path.join(dataRoot, 'audit.key')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataRoot, { recursive: true })
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  }
  return fs.readFileSync(file, 'utf8').trim()
}

/** Starts node `n` and resolves once its /health answers. */
async function startNode(n, relay, env) {
  const port = basePort + n - 1
  const dataDir = path.join(dataRoot, `node-${n}`)
  const child = spawn(process.execPath, [...relayNodeArgs(), relay], {
    cwd: root,
    env: { ...env, QILU_PORT: String(port), QILU_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  running.set(n, child)
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`[node-${n}] ${line}\n`)
  })
  child.on('exit', (code, signal) => {
    running.delete(n)
    if (!stopping) {
      process.stderr.write(
        `[node-${n}] 节点已停止 (stopped: ${signal ?? `exit ${code}`}); the others keep serving\n`,
      )
    }
  })
  const url = `http://${env.QILU_HOST}:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`node-${n} exited during its start (see above)`)
    }
    const ok = await fetch(`${url}/api/v1/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) {
      return { n, url, dataDir }
    }
    if (Date.now() > deadline) {
      fail(`node-${n} did not answer /api/v1/health within 60 s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function stopAll(signal) {
  if (stopping) {
    return
  }
  stopping = true
  process.stdout.write(`\n正在停止 ${running.size} 个节点 (stopping; each flushes its rooms)…\n`)
  await Promise.all(
    [...running.values()].map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve)
          child.kill(signal === 'SIGINT' ? 'SIGTERM' : signal)
        }),
    ),
  )
  process.stdout.write('集群已停止 (cluster stopped)\n')
  process.exit(0)
}
process.on('SIGINT', () => void stopAll('SIGINT'))
process.on('SIGTERM', () => void stopAll('SIGTERM'))

let relay = option('relay', null)
if (relay === null) {
  process.stdout.write('正在构建服务端 (building the relay)…\n')
  await buildServer(path.join(root, 'out/server'))
  relay = path.join(root, 'out/server/main.js')
}
const databaseUrl = await database()
const baseEnv = {
  ...process.env,
  QILU_HOST: process.env.QILU_HOST || '127.0.0.1',
  QILU_DATABASE_URL: databaseUrl,
  QILU_REDIS_URL: redisUrl,
  QILU_REDIS_PREFIX: redisPrefix,
  QILU_AUDIT_KEY: auditKey(),
  ...(process.env.QILU_NODES ? { QILU_NODES: process.env.QILU_NODES } : {}),
}
// Every node advertises them all (GET /api/v1/health), so a client whose node stops reconnects to
// another; the caller's QILU_NODES (public names behind proxies) wins.
const nodeOrigins = Array.from(
  { length: nodes },
  (_, i) => `http://${baseEnv.QILU_HOST}:${basePort + i}`,
).join(',')
// As `npm start` runs the relay (its V8 code cache kept between starts); the caller's values win.
const env = {
  ...relayEnv(process.env.QILU_COMPILE_CACHE || path.join(root, 'out/.compile-cache')),
  QILU_NODES: nodeOrigins,
  ...baseEnv,
}
// Node 1 alone first: it migrates the database and creates the admin; the others find them made.
const started = [await startNode(1, relay, env)]
for (let n = 2; n <= nodes; n++) {
  if (!stopping) {
    started.push(await startNode(n, relay, env))
  }
}
const shownDb = new URL(databaseUrl)
shownDb.password = shownDb.password === '' ? '' : '***'
const web = fs.existsSync(path.join(root, 'out/renderer/index.html'))
const lines = [
  `齐鲁办公 开发集群 (development cluster): ${started.length} 个节点 (nodes)`,
  ...started.map(
    (node) => `  node-${node.n}  ${node.url}   data ${path.relative(root, node.dataDir)}`,
  ),
  `  PostgreSQL  ${shownDb.toString()}`,
  `  Redis       ${redisUrl} (prefix ${redisPrefix})`,
  web
    ? '  网页客户端 (web client): served by every node'
    : '  网页客户端未构建 (web client not built: npm run build:web); the nodes serve the API',
  '  任一节点可服务任一文档，无需粘性会话 (any node serves any room, no sticky sessions)',
  '  按 Ctrl+C 停止全部节点 (Ctrl+C stops every node)',
]
const width = Math.max(...lines.map((line) => line.length)) + 2
process.stdout.write(
  `\n${'='.repeat(width)}\n${lines.join('\n')}\n${'='.repeat(width)}\nCLUSTER READY\n`,
)
