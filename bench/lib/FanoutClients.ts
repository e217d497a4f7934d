/** The main thread's handle on the fan-out client worker (fanoutWorker.ts). */
import type {
  RoomPlan,
  RoundPlan,
  RoundResult,
  Target,
  WorkerReply,
  WorkerRequest,
} from './fanoutProtocol'
import { WorkerChannel } from './WorkerChannel'

/** Drives the client worker: one request at a time, each answered by one reply. */
export class FanoutClients {
  private readonly channel = new WorkerChannel<WorkerRequest, WorkerReply>(
    new URL('./fanoutWorker.ts', import.meta.url),
  )

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
  close(): Promise<void> {
    return this.channel.exit({ type: 'close' })
  }

  private request(request: WorkerRequest): Promise<WorkerReply> {
    return this.channel.request(request)
  }

  private unexpected(reply: WorkerReply): never {
    throw new Error(
      reply.type === 'failed'
        ? `client worker: ${reply.message}`
        : `unexpected reply ${reply.type}`,
    )
  }
}
