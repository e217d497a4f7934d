/**
 * The production runtime (`npm start` on a built tree): the built relay runs without tsx and without
 * any devDependency, the supervisor brings a killed relay back, and the first start's one-time
 * admin password is shown in a banner outside the log.
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../utils/process'
import { ADMIN_PASSWORD } from '../utils/relay'
import { captureFile } from '../utils/logCapture'

const ROOT = path.resolve(import.meta.dirname, '../..')
let tree: string

interface LockEntry {
  readonly dev?: boolean
}

/**
 * A built tree as `npm ci --omit=dev` leaves it: the built relay, the start script, package.json and
 * a node_modules holding only the production packages (links into this checkout's install).
 */
function productionTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-prod-'))
  const built = spawnSync(
    process.execPath,
    ['scripts/buildServer.mjs', '--outdir', path.join(dir, 'out/server')],
    { cwd: ROOT, encoding: 'utf8' },
  )
  if (built.status !== 0) {
    throw new Error(`build failed: ${built.stderr}`)
  }
  fs.mkdirSync(path.join(dir, 'scripts'))
  for (const script of ['start.mjs', 'relayProcess.mjs']) {
    fs.copyFileSync(path.join(ROOT, 'scripts', script), path.join(dir, 'scripts', script))
  }
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'))
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>
  }
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.replace(/^node_modules\//, '')
    if (!key.startsWith('node_modules/') || name.includes('node_modules/') || entry.dev === true) {
      continue
    }
    const target = path.join(dir, 'node_modules', name)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), target)
  }
  const web = path.join(dir, 'web')
  fs.mkdirSync(web)
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>齐鲁办公</title>')
  return dir
}

interface Started {
  readonly child: ChildProcess
  readonly url: string
  output(): string
}

async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms: number,
): Promise<number> {
  const started = Date.now()
  for (;;) {
    if (await check()) {
      return Date.now() - started
    }
    if (Date.now() - started > ms) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v1/health`)).ok
  } catch {
    return false
  }
}

async function npmStart(env: Record<string, string>): Promise<Started> {
  const port = await freePort()
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: tree,
    env: {
      PATH: process.env.PATH ?? '',
      QILU_HOST: '127.0.0.1',
      QILU_PORT: String(port),
      QILU_WEB_ROOT: path.join(tree, 'web'),
      QILU_LOG_FILE: captureFile(),
      QILU_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-prod-data-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  await waitUntil(() => healthy(url), `the relay (${output})`, 20_000)
  running.push(child)
  return { child, url, output: () => output }
}

function relayPids(output: string): number[] {
  return [...output.matchAll(/"relayPid":(\d+)/g)].map((match) => Number(match[1]))
}

const running: ChildProcess[] = []

beforeAll(() => {
  tree = productionTree()
})

afterAll(async () => {
  for (const child of running) {
    child.kill('SIGTERM')
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  fs.rmSync(tree, { recursive: true, force: true })
})

/** @returns the worker entries the relay starts (`startTsWorker(new URL('./x.ts', …))`). */
function workerEntries(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      return workerEntries(full)
    }
    const text = entry.name.endsWith('.ts') ? fs.readFileSync(full, 'utf8') : ''
    return [...text.matchAll(/startTsWorker\(\s*new URL\('\.\/([A-Za-z0-9_]+)\.ts'/g)].map(
      (match) => match[1] ?? '',
    )
  })
}

describe('npm start on a built tree without devDependencies', () => {
  test('every worker thread the relay starts is built beside it', () => {
    const entries = workerEntries(path.join(ROOT, 'server'))
    expect(entries.length).toBeGreaterThanOrEqual(2)
    for (const entry of entries) {
      expect(fs.existsSync(path.join(tree, 'out/server', `${entry}.js`)), entry).toBe(true)
    }
  })

  test('serves the API and the web client, and the relay process loads no tsx', async () => {
    expect(fs.existsSync(path.join(tree, 'node_modules/tsx'))).toBe(false)
    expect(fs.existsSync(path.join(tree, 'node_modules/vite'))).toBe(false)
    const relay = await npmStart({ QILU_ADMIN_PASSWORD: ADMIN_PASSWORD })
    const login = await fetch(`${relay.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
    expect(login.status).toBe(200)
    expect(await (await fetch(`${relay.url}/`)).text()).toContain('齐鲁办公')
    const [pid] = relayPids(relay.output())
    expect(pid).toBeGreaterThan(0)
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
    expect(cmdline).toContain('out/server/main.js')
    expect(cmdline).not.toContain('tsx')
    const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8')
    // The native addon of the worker's SQLite connection is loaded: the worker thread started too.
    expect(maps).toMatch(
      /better-sqlite3\/(?:prebuilds\/[^/]+|build\/Release\/better_sqlite3)\.node/,
    )
  })

  test('a relay killed with SIGKILL is back within 5 s, and the log says why', async () => {
    const relay = await npmStart({ QILU_ADMIN_PASSWORD: ADMIN_PASSWORD })
    const [first] = relayPids(relay.output())
    expect(first).toBeGreaterThan(0)
    process.kill(first ?? 0, 'SIGKILL')
    await waitUntil(async () => !(await healthy(relay.url)), 'the relay to go down', 5000)
    const back = await waitUntil(() => healthy(relay.url), 'the relay to come back', 5000)
    expect(back).toBeLessThan(5000)
    expect(relay.output()).toMatch(/relay stopped unexpectedly \(signal SIGKILL\); restarting/)
    expect(relayPids(relay.output())).toHaveLength(2)
  })

  test('the first start shows the one-time admin password in a banner, never in a log line', async () => {
    const relay = await npmStart({})
    await waitUntil(() => relay.output().includes('╝'), 'the banner', 5000)
    const password = /一次性密码 \(one-time password\): (\S+)/.exec(relay.output())?.[1]
    expect(password).toBeDefined()
    const login = await fetch(`${relay.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
    expect(login.status).toBe(200)
    expect(
      ((await login.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword,
    ).toBe(true)
    const logLines = relay
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
    expect(logLines.length).toBeGreaterThan(0)
    expect(logLines.filter((line) => line.includes(password ?? '\u0000'))).toEqual([])
  })
})
