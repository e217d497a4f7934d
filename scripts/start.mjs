// `npm start`: builds the relay (out/server) and the web client (out/renderer) when either is missing
// or older than its sources, then runs the built relay under a small supervisor: if the relay process
// dies, it says why and starts it again (with back-off, a bounded number of times); SIGTERM and
// SIGINT are passed on, and the relay flushes its rooms before it exits.
//
// A production install (`npm ci --omit=dev` on a built tree) has no build tools: it runs what is built.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { relayEnv, relayNodeArgs } from './relayProcess.mjs'

const root = path.resolve(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const RELAY = path.join(root, 'out/server/main.js')
const SHELL = path.join(root, 'out/renderer/index.html')

/** Restarts allowed within RESTART_WINDOW_MS before the supervisor gives up. */
const MAX_RESTARTS = 10
const RESTART_WINDOW_MS = 5 * 60_000
/** First restart delay; doubles with each crash inside the window, at most MAX_DELAY_MS. */
const FIRST_DELAY_MS = 500
const MAX_DELAY_MS = 30_000

/** One JSON line in the relay's own log format. */
function log(level, message, fields = {}) {
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    pid: process.pid,
    message,
    supervisor: true,
    ...fields,
  })
  ;(level === 'info' ? process.stdout : process.stderr).write(`${line}\n`)
}

function newestMtime(target) {
  if (!fs.existsSync(target)) {
    return 0
  }
  const stat = fs.statSync(target)
  if (!stat.isDirectory()) {
    return stat.mtimeMs
  }
  let newest = 0
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)))
  }
  return newest
}

function available(module) {
  try {
    require.resolve(module)
    return true
  } catch {
    return false
  }
}

/** Builds `output` with `command` when it is missing or older than `sources`. */
function buildIfStale(what, output, sources, tool, command) {
  const built = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0
  const newest = Math.max(...sources.map((source) => newestMtime(path.join(root, source))))
  if (built >= newest) {
    return
  }
  if (!available(tool)) {
    if (built > 0) {
      log(
        'warn',
        `${what} is older than its sources and ${tool} is not installed; running the built one`,
      )
      return
    }
    log(
      'error',
      `${what} is not built and ${tool} is not installed: run \`npm ci && npm run build\` first`,
    )
    process.exit(1)
  }
  log('info', `正在构建${what === 'relay' ? '服务端' : '网页客户端'} (building the ${what})…`)
  const result = spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    process.exit(result.status ?? 1)
  }
}

buildIfStale(
  'relay',
  RELAY,
  ['server', 'shared', 'scripts/auditVerify.ts', 'scripts/buildServer.mjs', 'package.json'],
  'esbuild',
  [path.join(root, 'scripts/buildServer.mjs')],
)
// An operator who points QILU_WEB_ROOT elsewhere serves that build as it is.
if (process.env.QILU_WEB_ROOT === undefined)
  buildIfStale('web client', SHELL, ['renderer', 'shared'], 'vite/package.json', [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
  ])

/**
 * V8's compiled code of the relay and its packages, kept between starts (Node checks each entry
 * against its source): a restart compiles less. QILU_COMPILE_CACHE moves it; it may be deleted.
 */
const COMPILE_CACHE = process.env.QILU_COMPILE_CACHE || path.join(root, 'out/.compile-cache')

let relay = null
let stopping = false
const crashes = []

function run() {
  relay = spawn(process.execPath, [...relayNodeArgs(), RELAY], {
    cwd: root,
    stdio: 'inherit',
    env: { ...relayEnv(COMPILE_CACHE), ...process.env },
  })
  log('info', 'relay started', { relayPid: relay.pid })
  relay.on('exit', (code, signal) => {
    relay = null
    if (stopping) {
      process.exit(code ?? 0)
    }
    const now = Date.now()
    crashes.push(now)
    while (crashes.length > 0 && now - crashes[0] > RESTART_WINDOW_MS) {
      crashes.shift()
    }
    const why = signal === null ? `exit code ${code}` : `signal ${signal}`
    if (crashes.length > MAX_RESTARTS) {
      log(
        'error',
        `relay stopped (${why}); ${crashes.length} crashes within ${RESTART_WINDOW_MS / 60_000} min, giving up`,
      )
      process.exit(code === 0 || code === null ? 1 : code)
    }
    const delay = Math.min(FIRST_DELAY_MS * 2 ** (crashes.length - 1), MAX_DELAY_MS)
    log('error', `relay stopped unexpectedly (${why}); restarting in ${delay} ms`, {
      code,
      signal,
      restart: crashes.length,
    })
    setTimeout(() => {
      if (!stopping) {
        run()
      }
    }, delay)
  })
}

// The relay flushes its rooms on SIGTERM/SIGINT; pass them on and leave when it has.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true
    if (relay === null) {
      process.exit(0)
    }
    relay.kill(signal)
  })
}
run()
