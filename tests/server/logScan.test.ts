import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { scanCapture } from '../utils/logScan'
import { createLogger } from '../../server/logger'

test('the end-of-run scan finds a secret that reached a log file, and none in a scrubbed one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-scan-'))
  try {
    fs.writeFileSync(path.join(dir, 'secrets-1.txt'), 'Qilu#2026pass\nABCDE-FGHJK-LMNPQ-RSTUV\n')
    const clean = createLogger({ quiet: true, capture: path.join(dir, 'relay-1.log') })
    clean.info('upgrade', { url: '/sync/doc:1?token=live-token-value', password: 'Qilu#2026pass' })
    clean.warn('login failed', {
      body: { username: 'a', activationCode: 'ABCDE-FGHJK-LMNPQ-RSTUV' },
    })
    expect(scanCapture(dir)).toEqual([])
    fs.appendFileSync(
      path.join(dir, 'relay-2.log'),
      '{"message":"oops","detail":"Qilu#2026pass"}\n',
    )
    fs.appendFileSync(path.join(dir, 'relay-2.log'), '{"message":"GET /sync/x?token=abc123"}\n')
    expect(scanCapture(dir)).toHaveLength(2)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('the log is written asynchronously: lines logged together reach the file, and a destination that cannot be opened never ends the process', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-log-'))
  try {
    const file = path.join(dir, 'relay.log')
    const logger = createLogger({ level: 'info', destination: file })
    for (let i = 0; i < 500; i++) {
      logger.info('request', { route: '/api/v1/health', status: 200, i })
    }
    // Asynchronous: the lines arrive once the writes under way finish.
    const deadline = Date.now() + 5000
    const lines = () =>
      fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
    while (lines().length < 500 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(lines().map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(
      Array.from({ length: 500 }, (_, i) => i),
    )
    // A file where the log's folder should be: opening fails after the logger was made.
    fs.writeFileSync(path.join(dir, 'not-a-folder'), '')
    const stderr: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string) => {
      stderr.push(String(chunk))
      return true
    }) as typeof process.stderr.write
    try {
      const broken = createLogger({
        level: 'info',
        destination: path.join(dir, 'not-a-folder', 'relay.log'),
      })
      broken.info('lost', { i: 1 })
      const until = Date.now() + 5000
      while (stderr.length === 0 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    } finally {
      process.stderr.write = write
    }
    expect(stderr.join('')).toMatch(/the log cannot be written to .*not-a-folder/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a process whose log file cannot be opened logs to stderr and exits cleanly, however soon it ends', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-log-'))
  try {
    fs.writeFileSync(path.join(dir, 'not-a-folder'), '')
    const destination = path.join(dir, 'not-a-folder', 'relay.log')
    // pino flushes every destination at exit; one still opening (or never opened) used to throw
    // "sonic boom is not ready yet" there.
    const script = [
      `import { createLogger } from ${JSON.stringify(path.resolve('server/logger.ts'))}`,
      `createLogger({ level: 'info', destination: ${JSON.stringify(destination)} })`,
      `  .info('kept', { i: 7 })`,
      `process.exit(0)`,
    ].join('\n')
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    )
    expect(run.stderr).not.toContain('not ready')
    expect(run.stderr).toMatch(/the log cannot be written to .*not-a-folder.*it goes to stderr/)
    expect(run.stderr).toMatch(/"i":7,"message":"kept"/)
    expect(run.status).toBe(0)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
