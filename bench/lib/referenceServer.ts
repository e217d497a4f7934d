/** The reference server: the stock `y-websocket` server (`bin/server.cjs`) as a child process. */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { freePort } from '../../tests/utils/process'

/** A running reference server. */
export interface ReferenceServer {
  /** WebSocket base URL; the room name is the rest of the path. */
  readonly wsUrl: string
  readonly pid: number
  /** Stops the process and waits for it to exit. */
  close(): Promise<void>
}

/** Starts `node node_modules/y-websocket/bin/server.cjs` on a free port and waits until it listens. */
export async function startReferenceServer(): Promise<ReferenceServer> {
  const require = createRequire(import.meta.url)
  // The package's export map hides bin/server.cjs but exposes bin/utils, which sits next to it.
  const script = require.resolve('y-websocket/bin/utils').replace(/utils\.cjs$/, 'server.cjs')
  const port = await freePort()
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`reference server did not start: ${output}`))
    }, 15_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes('running at')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`reference server exited with ${code}: ${output}`))
    })
  })
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout.resume()
  child.stderr.resume()
  const pid = child.pid
  if (pid === undefined) {
    throw new Error('reference server has no pid')
  }
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    pid,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
      }
      await exited
    },
  }
}
