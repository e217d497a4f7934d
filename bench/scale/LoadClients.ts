/** The main thread's handle on the load worker (loadWorker.ts): one request at a time. */
import type { Worker } from 'node:worker_threads'
import { startTsWorker } from '../lib/tsWorker'
import type { GroupPlan, RoundPlan, RoundResult, WorkerReply, WorkerRequest } from './protocol'

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>

export class LoadClients {
  private readonly worker: Worker
  private readonly exited: Promise<void>
  private waiting: ((reply: WorkerReply) => void) | null = null
  private failure: Error | null = null

  constructor() {
    this.worker = startTsWorker(new URL('./loadWorker.ts', import.meta.url))
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

  /** Connects every client of the group. @returns the time until all had synced (ms). */
  async connect(plan: GroupPlan): Promise<number> {
    return (await this.ask({ type: 'connect', ...plan }, 'connected')).ms
  }

  async round(plan: RoundPlan): Promise<RoundResult> {
    return (await this.ask({ type: 'round', ...plan }, 'round')).result
  }

  async mark(group: string): Promise<void> {
    await this.ask({ type: 'mark', group }, 'marked')
  }

  /** @returns the time from the mark until the last client had synced again, and who had not. */
  async resynced(group: string, timeoutMs: number): Promise<{ ms: number; pending: number }> {
    return this.ask({ type: 'resynced', group, timeoutMs }, 'resynced')
  }

  async verify(group: string): Promise<boolean> {
    return (await this.ask({ type: 'verify', group }, 'verified')).converged
  }

  async close(group: string): Promise<void> {
    await this.ask({ type: 'close', group }, 'closed')
  }

  /** Closes every client and waits for the worker to exit (terminating it after 5 s). */
  async exit(): Promise<void> {
    if (this.failure === null) {
      await this.ask({ type: 'exit' }, 'closed').catch(() => undefined)
    }
    const timer = setTimeout(() => void this.worker.terminate(), 5000)
    await this.exited
    clearTimeout(timer)
  }

  private async ask<T extends WorkerReply['type']>(
    request: WorkerRequest,
    expected: T,
  ): Promise<ReplyOf<T>> {
    if (this.failure !== null) {
      throw this.failure
    }
    if (this.waiting !== null) {
      throw new Error('one request at a time')
    }
    const reply = await new Promise<WorkerReply>((resolve) => {
      this.waiting = resolve
      this.worker.postMessage(request)
    })
    if (reply.type !== expected) {
      throw new Error(
        reply.type === 'failed' ? `load worker: ${reply.message}` : `unexpected ${reply.type}`,
      )
    }
    return reply as ReplyOf<T>
  }
}
