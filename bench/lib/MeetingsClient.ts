/** The main thread's handle on the meetings benchmark's HTTP client worker (meetingsWorker.ts). */
import type {
  MeetingsReply,
  MeetingsRequest,
  PlannedRequest,
  TimedAnswer,
} from './meetingsProtocol'
import { WorkerChannel } from './WorkerChannel'

/** Sends timed requests from a worker thread: one batch at a time. */
export class MeetingsClient {
  private readonly channel = new WorkerChannel<MeetingsRequest, MeetingsReply>(
    new URL('./meetingsWorker.ts', import.meta.url),
  )

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /**
   * Sends every request at once, on as many open connections (`warm`) or each on a new one (`fresh`).
   * @returns their answers, in the order of `requests`
   */
  concurrent(
    requests: readonly PlannedRequest[],
    connections: 'warm' | 'fresh' = 'warm',
  ): Promise<readonly TimedAnswer[]> {
    return this.send(true, requests, connections)
  }

  /** Sends the requests one after another. @returns their answers, in order */
  sequential(requests: readonly PlannedRequest[]): Promise<readonly TimedAnswer[]> {
    return this.send(false, requests, 'warm')
  }

  /** Opens `count` kept-alive connections for the next `warm` batch (not timed). */
  async warm(count: number): Promise<void> {
    const reply = await this.channel.request({ type: 'warm', baseUrl: this.baseUrl, count })
    if (reply.type !== 'warmed') {
      throw new Error(reply.type === 'failed' ? `client worker: ${reply.message}` : reply.type)
    }
  }

  /** Waits for the worker to exit (terminating it after 5 s). */
  close(): Promise<void> {
    return this.channel.exit({ type: 'close' })
  }

  private async send(
    concurrent: boolean,
    requests: readonly PlannedRequest[],
    connections: 'warm' | 'fresh',
  ): Promise<readonly TimedAnswer[]> {
    const reply = await this.channel.request({
      type: 'send',
      baseUrl: this.baseUrl,
      token: this.token,
      concurrent,
      connections,
      requests,
    })
    if (reply.type !== 'sent') {
      throw new Error(reply.type === 'failed' ? `client worker: ${reply.message}` : reply.type)
    }
    return reply.answers
  }
}
