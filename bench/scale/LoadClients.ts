/** The main thread's handle on the load worker (loadWorker.ts): one request at a time. */
import { WorkerChannel } from '../lib/WorkerChannel'
import type { GroupPlan, RoundPlan, RoundResult, WorkerReply, WorkerRequest } from './protocol'

type ReplyOf<T extends WorkerReply['type']> = Extract<WorkerReply, { type: T }>

export class LoadClients {
  private readonly channel = new WorkerChannel<WorkerRequest, WorkerReply>(
    new URL('./loadWorker.ts', import.meta.url),
  )

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
  exit(): Promise<void> {
    return this.channel.exit({ type: 'exit' })
  }

  private async ask<T extends WorkerReply['type']>(
    request: WorkerRequest,
    expected: T,
  ): Promise<ReplyOf<T>> {
    const reply = await this.channel.request(request)
    if (reply.type !== expected) {
      throw new Error(
        reply.type === 'failed' ? `load worker: ${reply.message}` : `unexpected ${reply.type}`,
      )
    }
    return reply as ReplyOf<T>
  }
}
