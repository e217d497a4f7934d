/**
 * What the built relay loads at start (issue 23): the packages few requests need are loaded on first
 * use, not at start, and no worker thread waits idle but the update log's. Each then still works
 * when first needed (the built relay, as `npm start` runs it, with a hook that records every
 * package the relay resolves).
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

const ROOT = path.resolve(import.meta.dirname, '../..')
/** Packages a relay on SQLite without Redis should not load until a request needs them. */
const LAZY = ['exceljs', 'pinyin-pro', 'ioredis', 'pg', '@zxcvbn-ts/core']

let dataDir: string
let record: string
let child: ChildProcess
let url: string

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

function threadNames(pid: number): string[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim())
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-footprint-'))
  record = path.join(dataDir, 'resolved.txt')
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  const env = {
    ...process.env,
    QILU_HOST: '127.0.0.1',
    QILU_PORT: String(port),
    QILU_DATA_DIR: dataDir,
    QILU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    QILU_AUDIT_KEY: TEST_AUDIT_KEY,
    QILU_LOG_FILE: captureFile(),
    QILU_QUIET: '1',
  }
  const main = await compiledEntry('main')
  // First start creates the database and the admin (its password is checked with zxcvbn):
  // measure the restart, as a relay starts every day.
  for (const attempt of [1, 2]) {
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
        break
      }
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`relay did not start (attempt ${attempt})`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    if (attempt === 1) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}, 90_000)

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('the built relay at start', () => {
  test('loads none of the packages few requests need, and runs one worker thread', async () => {
    // Let anything started "soon after" the start happen.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const packages = loaded()
    // The hook sees the relay's packages (it is not blind).
    expect(packages).toContain('fastify')
    expect(packages).toContain('better-sqlite3')
    for (const name of LAZY) {
      expect(packages, name).not.toContain(name)
    }
    // The update log's worker only: the SM2 verifiers start with the first signed action.
    expect(threadNames(child.pid ?? 0).filter((name) => name === 'WorkerThread')).toHaveLength(1)
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
})
