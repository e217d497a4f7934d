/**
 * The servers of the scale benchmark, each a child process pinned to its own core: the y-websocket
 * reference server, Hocuspocus, a raw `ws` broadcast (the ceiling) and our relay as `npm start`
 * runs it (the built out/server/main.js, real accounts and tokens, a data folder of its own).
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { buildServer } from '../../scripts/buildServer.mjs'
import { relayEnv, relayNodeArgs } from '../../scripts/relayProcess.mjs'
import { ADMIN_PASSWORD, TEST_AUDIT_KEY } from '../../tests/utils/relay'
import { freePort } from '../../tests/utils/process'
import { SyncClient } from './SyncClient'
import type { Dialect } from './SyncClient'

const ROOT = path.resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

/** The servers compared. */
export type ServerName = 'reference' | 'hocuspocus' | 'ws' | 'ours'

export interface ServerSpec {
  readonly name: ServerName
  readonly label: string
  readonly dialect: Dialect
  /** Whether the server authenticates, checks permissions and persists (only ours does). */
  readonly guarded: boolean
}

export const SERVERS: readonly ServerSpec[] = [
  { name: 'reference', label: 'y-websocket 2.1 (reference)', dialect: 'yws', guarded: false },
  { name: 'hocuspocus', label: 'Hocuspocus 4.7', dialect: 'hocuspocus', guarded: false },
  { name: 'ws', label: 'raw ws broadcast (ceiling)', dialect: 'raw', guarded: false },
  { name: 'ours', label: 'Qilu relay (built)', dialect: 'yws', guarded: true },
]

/** The core servers run on, and the one the load generator runs on, when pinning is possible. */
export const SERVER_CORE = 1
export const CLIENT_CORE = 0

/** @returns whether `taskset` exists and the machine has at least two cores to separate. */
export function canPin(): boolean {
  return os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0
}

/** Pins this process (every thread, and the workers it starts later) to the client core. */
export function pinSelf(): boolean {
  if (!canPin()) {
    return false
  }
  return (
    spawnSync('taskset', ['-a', '-p', '-c', String(CLIENT_CORE), String(process.pid)]).status === 0
  )
}

/** A server process that has answered once. */
export interface RunningServer {
  readonly spec: ServerSpec
  readonly pid: number
  /** ws:// base URL for clients. */
  readonly wsUrl: string
  /** http:// base URL (our relay's API). */
  readonly httpUrl: string
  /** From spawn to answering (ms). */
  readonly readyMs: number
  /** CPU the process spent until it answered (ms): steadier than readyMs on a busy machine. */
  readonly readyCpuMs: number
  /** Resident memory of the whole process, every thread included (bytes). */
  rss(): number
  /** User + system CPU of the whole process so far (ms). */
  cpuMs(): number
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>
  /** SIGTERM (our relay flushes), and wait for the exit. */
  stop(): Promise<void>
}

/** Starts one kind of server, again and again on the same port (and, for ours, the same data). */
export interface ServerLauncher {
  readonly spec: ServerSpec
  readonly port: number
  /** Our relay's data folder (null for the peers). */
  readonly dataDir: string | null
  start(): Promise<RunningServer>
  /** Removes what the launcher made (data folder). */
  dispose(): void
}

let built: Promise<string> | null = null
const BUILD_DIR = path.join(ROOT, 'bench/.tmp', `scale-${process.pid}`)

/** Builds the relay once per run, as `npm start` does (scripts/buildServer.mjs). */
export function builtRelay(): Promise<string> {
  built ??= (async () => {
    await buildServer(BUILD_DIR)
    process.once('exit', () => fs.rmSync(BUILD_DIR, { recursive: true, force: true }))
    return path.join(BUILD_DIR, 'main.js')
  })()
  return built
}

function command(spec: ServerSpec, relayEntry: string): string[] {
  switch (spec.name) {
    case 'reference':
      // The package's export map hides bin/server.cjs but exposes bin/utils, which sits next to it.
      return [require.resolve('y-websocket/bin/utils').replace(/utils\.cjs$/, 'server.cjs')]
    case 'hocuspocus':
      return [path.join(import.meta.dirname, 'peers/hocuspocusServer.mjs')]
    case 'ws':
      return [path.join(import.meta.dirname, 'peers/wsBroadcastServer.mjs')]
    case 'ours':
      // As scripts/start.mjs runs it (its flags, source maps for the relay's own code only).
      return [
        ...relayNodeArgs(),
        // SCALE_CPU_PROF=<dir>: a V8 CPU profile of each start of our relay, written at its stop.
        ...(process.env.SCALE_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SCALE_CPU_PROF}`]
          : []),
        relayEntry,
      ]
  }
}

/**
 * @param env added to the server's environment (ours on PostgreSQL and Redis: one node of several)
 * @returns a launcher of `spec` on a free port (ours: with a fresh data folder).
 */
export async function launcher(
  spec: ServerSpec,
  env: NodeJS.ProcessEnv = {},
): Promise<ServerLauncher> {
  const port = await freePort()
  const dataDir =
    spec.name === 'ours' ? fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-scale-')) : null
  const relayEntry = spec.name === 'ours' ? await builtRelay() : ''
  const pin = canPin()
  return {
    spec,
    port,
    dataDir,
    start: () => startProcess(spec, port, dataDir, command(spec, relayEntry), pin, env),
    dispose: () => {
      if (dataDir !== null) {
        fs.rmSync(dataDir, { recursive: true, force: true })
      }
    },
  }
}

async function startProcess(
  spec: ServerSpec,
  port: number,
  dataDir: string | null,
  args: string[],
  pin: boolean,
  extraEnv: NodeJS.ProcessEnv,
): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    ...(dataDir === null
      ? {}
      : {
          QILU_HOST: '127.0.0.1',
          QILU_PORT: String(port),
          QILU_DATA_DIR: dataDir,
          QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
          QILU_AUDIT_KEY: TEST_AUDIT_KEY,
          QILU_QUIET: '1',
          QILU_LOG_FILE: path.join(dataDir, 'relay.log'),
          // As scripts/start.mjs runs it: V8's code cache kept between starts, its allocator.
          ...relayEnv(path.join(BUILD_DIR, 'compile-cache')),
        }),
    ...extraEnv,
  }
  const started = performance.now()
  const [file, ...rest] = pin
    ? ['taskset', '-c', String(SERVER_CORE), process.execPath, ...args]
    : [process.execPath, ...args]
  // taskset execs the server in place, so the child's pid is the server's.
  const child = spawn(file ?? process.execPath, rest, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const pid = child.pid
  if (pid === undefined) {
    throw new Error(`${spec.name}: no pid`)
  }
  const wsUrl = spec.name === 'ours' ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`
  const httpUrl = `http://127.0.0.1:${port}`
  await waitReady(spec, child, wsUrl, httpUrl, () => output)
  const readyMs = performance.now() - started
  const readyCpuMs = processCpuMs(pid)
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(name)
    }
    await exited
  }
  return {
    spec,
    pid,
    wsUrl,
    httpUrl,
    readyMs,
    readyCpuMs,
    rss: () => processRss(pid),
    cpuMs: () => processCpuMs(pid),
    kill9: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Our relay is ready when /api/v1/health answers; a peer when its port accepts a client and a sync
 * is answered (the raw broadcast answers nothing: the socket opening is all it does).
 */
async function waitReady(
  spec: ServerSpec,
  child: ChildProcess,
  wsUrl: string,
  httpUrl: string,
  output: () => string,
): Promise<void> {
  const deadline = performance.now() + 60_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.name} exited early: ${output()}`)
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${spec.name} did not get ready: ${output()}`)
    }
    if (spec.name === 'ours' ? await healthy(httpUrl) : await answersSync(spec, wsUrl)) {
      return
    }
    await sleep(5)
  }
}

async function healthy(httpUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${httpUrl}/api/v1/health`)).ok
  } catch {
    return false
  }
}

async function answersSync(spec: ServerSpec, wsUrl: string): Promise<boolean> {
  const probe = new SyncClient({
    dialect: spec.dialect,
    url: wsUrl,
    room: 'ready-probe',
    token: null,
  })
  probe.connect()
  const until = performance.now() + 2000
  while (!probe.isSynced && probe.disconnects === 0 && performance.now() < until) {
    await sleep(2)
  }
  const ok = probe.isSynced
  probe.close()
  return ok
}

/** @returns VmRSS of a process (bytes), or NaN without procfs. */
export function processRss(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? Number.NaN : Number(kb) * 1024
  } catch {
    return Number.NaN
  }
}

/** Clock ticks per second of /proc/…/stat; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100

/** @returns utime + stime of a whole process, every thread included (ms), or NaN without procfs. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}
