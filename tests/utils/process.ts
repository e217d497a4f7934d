/** Runs the relay as a real child process (the compiled `server/main.ts`), for crash and shutdown tests. */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { captureFile } from './logCapture'
import { compiledEntry } from './compiledServer'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** @returns a TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** A relay process. */
export interface RelayProcess {
  readonly child: ChildProcess
  readonly url: string
  /** Output so far (stdout and stderr). */
  output(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
}

/**
 * Starts the relay (`server/main.ts`, compiled once per test process as `npm start` runs it) with
 * the given environment and waits for /api/v1/health.
 */
export async function spawnRelay(env: Record<string, string>, port: number): Promise<RelayProcess> {
  const child = spawn(process.execPath, [await compiledEntry('main')], {
    cwd: ROOT,
    env: {
      ...process.env,
      QILU_HOST: '127.0.0.1',
      QILU_PORT: String(port),
      QILU_LOG_FILE: captureFile(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`relay exited early: ${output}`)
    }
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) {
        break
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`relay did not start: ${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, url, output: () => output, exited }
}
