/** The main thread's handle on the fan-out client worker (fanoutWorker.ts). */
import type { Worker } from 'node:worker_threads'
import type {
  RoomPlan,
  RoundPlan,
  RoundResult,
  Target,
  WorkerReply,
  WorkerRequest,
} from './fanoutProtocol'
import { startTsWorker } from './tsWorker'

/** Drives the client worker: one request at a time, each answered by one reply. */
export class FanoutClients {
  private readonly worker: Worker
  private readonly exited: Promise<void>
  private waiting: ((reply: WorkerReply) => void) | null = null
  private failure: Error | null = null

  constructor() {
    this.worker = startTsWorker(new URL('./fanoutWorker.ts', import.meta.url))
    this.worker.on('message', (reply: WorkerReply) => {
      const waiting = this.waiting
      this.waiting = null
      waiting?.(reply)
    })
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.on('error', (error) => {
      this.failure = error
      const waiting = this.waiting
      this.waiting = null
      waiting?.({ type: 'failed', message: String(error) })
    })
  }

  /** Connects one client per token of each room. @returns the time until all had synced (ms). */
  async connect(target: Target, serverUrl: string, rooms: readonly RoomPlan[]): Promise<number> {
    const reply = await this.request({ type: 'connect', target, serverUrl, rooms })
    return reply.type === 'connected' ? reply.ms : this.unexpected(reply)
  }

  /** Runs one round of updates against `target`. */
  async round(target: Target, plan: RoundPlan): Promise<RoundResult> {
    const reply = await this.request({ type: 'round', target, plan })
    return reply.type === 'round' ? reply.result : this.unexpected(reply)
  }

  /** @returns whether every room's clients hold the same text, and the total text length. */
  async verify(target: Target): Promise<{ converged: boolean; chars: number }> {
    const reply = await this.request({ type: 'verify', target })
    return reply.type === 'verified' ? reply : this.unexpected(reply)
  }

  /** Closes every client and waits for the worker to exit (terminating it after 5 s). */
  async close(): Promise<void> {
    if (this.failure === null) {
      await this.request({ type: 'close' }).catch(() => undefined)
    }
    const timer = setTimeout(() => void this.worker.terminate(), 5000)
    await this.exited
    clearTimeout(timer)
  }

  private request(request: WorkerRequest): Promise<WorkerReply> {
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

  private unexpected(reply: WorkerReply): never {
    throw new Error(
      reply.type === 'failed'
        ? `client worker: ${reply.message}`
        : `unexpected reply ${reply.type}`,
    )
  }
}
