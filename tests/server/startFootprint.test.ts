/**
 * What the built relay loads at start (issue 23): its pure-JS packages come from its bundle, not
 * through Node's module loader; the packages few requests need are loaded on first use, not at
 * start; and no worker thread waits idle. Each then still works when first needed (the built relay,
 * as `npm start` runs it, with a hook that records every package the relay resolves).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compiledEntry } from '../utils/compiledServer'
import { freePort } from '../utils/process'
import { ADMIN_PASSWORD, ApiClient, TEST_AUDIT_KEY, adminClient } from '../utils/relay'
import { captureFile } from '../utils/logCapture'
import { connect, synced, text, waitFor } from '../utils/yclient'

const ROOT = path.resolve(import.meta.dirname, '../..')
/** Packages a relay on SQLite without Redis should not load until a request needs them. */
const LAZY = ['exceljs', 'pinyin-pro', 'ioredis', 'pg', '@zxcvbn-ts/core']
/** Pure-JS packages bundled into out/server/main.js (scripts/buildServer.mjs). */
const BUNDLED = ['fastify', 'zod', 'kysely', 'yjs', 'ws', 'prom-client', 'sm-crypto-v2']

let dataDir: string
let record: string
let child: ChildProcess
let url: string
let env: NodeJS.ProcessEnv
let main: string

/** A module hook (Node's registerHooks) appending every bare specifier resolved to `file`. */
function recorder(file: string): string {
  const code = `
    import { registerHooks } from 'node:module'
    import { appendFileSync } from 'node:fs'
    registerHooks({
      resolve(specifier, context, next) {
        if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.includes(':')) {
          appendFileSync(${JSON.stringify(file)}, specifier + '\\n')
        }
        return next(specifier, context)
      },
    })`
  return `data:text/javascript,${encodeURIComponent(code)}`
}

/** @returns the packages the relay has resolved so far (a/b/c → a, @s/a/b → @s/a). */
function loaded(): Set<string> {
  const lines = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n') : []
  return new Set(
    lines
      .filter((line) => line !== '')
      .map((line) =>
        line
          .split('/')
          .slice(0, line.startsWith('@') ? 2 : 1)
          .join('/'),
      ),
  )
}

/** @returns how many worker threads the relay runs. */
function workers(): number {
  const pid = child.pid ?? 0
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim())
    .filter((name) => name === 'WorkerThread').length
}

/** Starts the built relay on the data folder and waits for `/health`. */
async function start(): Promise<void> {
  fs.rmSync(record, { force: true })
  child = spawn(process.execPath, ['--import', recorder(record), main], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  })
  const deadline = Date.now() + 30_000
  for (;;) {
    if (
      await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error('relay did not start')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function stop(): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-footprint-'))
  record = path.join(dataDir, 'resolved.txt')
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  env = {
    ...process.env,
    QILU_HOST: '127.0.0.1',
    QILU_PORT: String(port),
    QILU_DATA_DIR: dataDir,
    QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    QILU_AUDIT_KEY: TEST_AUDIT_KEY,
    QILU_LOG_FILE: captureFile(),
    QILU_QUIET: '1',
  }
  main = await compiledEntry('main')
  // First start creates the database and the admin (its password is checked with zxcvbn):
  // measure the restart, as a relay starts every day.
  await start()
  await stop()
  await start()
}, 90_000)

afterAll(async () => {
  await stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('the built relay at start', () => {
  test('loads its pure-JS packages from its bundle, none of those few requests need, and no worker thread', async () => {
    // Let anything started "soon after" the start happen.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const packages = loaded()
    // The hook sees the relay's packages (it is not blind): the native SQLite driver and pino.
    expect(packages).toContain('better-sqlite3')
    expect(packages).toContain('pino')
    for (const name of [...LAZY, ...BUNDLED]) {
      expect(packages, name).not.toContain(name)
    }
    // The update log's worker starts with the first document opened, the SM2 verifiers with the
    // first signed action.
    expect(workers()).toBe(0)
  })

  test('loads pinyin-pro with the first account, whose name is then found by its pinyin', async () => {
    const admin = await adminClient({ url })
    const created = await admin.createUser('footprint.zhang', '张伟')
    expect(loaded()).toContain('pinyin-pro')
    const found = await new ApiClient(url, created.token).request<{
      items: { username: string }[]
    }>('GET', '/directory/search?q=zw')
    expect(found.status).toBe(200)
    expect(JSON.stringify(found.body)).toContain('footprint.zhang')
  })

  test("starts the update log's worker with the first document opened, which keeps its edits", async () => {
    const admin = await adminClient({ url })
    const id = await admin.createDocument('启动占用')
    const wsUrl = url.replace('http:', 'ws:') + '/sync'
    const writer = connect(wsUrl, `doc:${id}`, admin.token)
    try {
      await synced(writer)
      writer.doc.getText('text').insert(0, '首次打开')
      await waitFor(() => workers() === 1, 'the update log worker')
      // The edit is at the relay (a second socket sees it) before the writer goes.
      const observer = connect(wsUrl, `doc:${id}`, admin.token)
      try {
        await synced(observer)
        await waitFor(() => text(observer) === '首次打开', 'the edit at the relay')
      } finally {
        observer.destroy()
      }
    } finally {
      writer.destroy()
    }
    // A restart (SIGTERM flushes the rooms) reads the edit back from the log.
    await stop()
    await start()
    expect(workers()).toBe(0)
    const reader = connect(wsUrl, `doc:${id}`, admin.token)
    try {
      await synced(reader)
      expect(text(reader)).toBe('首次打开')
      expect(workers()).toBe(1)
    } finally {
      reader.destroy()
    }
  })
})
