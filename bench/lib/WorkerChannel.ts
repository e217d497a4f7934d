/**
 * A bench worker driven from the main thread: one request at a time, each answered by one reply;
 * a worker error answers the waiting request with `{ type: 'failed' }` and fails every later one.
 * Base of FanoutClients and the scale bench's LoadClients.
 */
import type { Worker } from 'node:worker_threads'
import { startTsWorker } from './tsWorker'

/** Every worker's replies include this one. */
export interface FailedReply {
  readonly type: 'failed'
  readonly message: string
}

export class WorkerChannel<Request, Reply extends { readonly type: string }> {
  private readonly worker: Worker
  private readonly exited: Promise<void>
  private waiting: ((reply: Reply | FailedReply) => void) | null = null
  private failure: Error | null = null

  constructor(script: URL) {
    this.worker = startTsWorker(script)
    this.worker.on('message', (reply: Reply) => this.answer(reply))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.on('error', (error) => {
      this.failure = error
      this.answer({ type: 'failed', message: String(error) })
    })
  }

  /** Sends a request. @returns its reply. @throws when the worker failed or a request waits */
  request(request: Request): Promise<Reply | FailedReply> {
    if (this.failure !== null) {
      return Promise.reject(this.failure)
    }
    if (this.waiting !== null) {
      return Promise.reject(new Error('one request at a time'))
    }
    return new Promise((resolve) => {
      this.waiting = resolve
      this.worker.postMessage(request)
    })
  }

  /** Sends `farewell` (unless the worker failed), then waits for it to exit, terminating it after 5 s. */
  async exit(farewell: Request): Promise<void> {
    if (this.failure === null) {
      await this.request(farewell).catch(() => undefined)
    }
    const timer = setTimeout(() => void this.worker.terminate(), 5000)
    await this.exited
    clearTimeout(timer)
  }

  private answer(reply: Reply | FailedReply): void {
    const waiting = this.waiting
    this.waiting = null
    waiting?.(reply)
  }
}
