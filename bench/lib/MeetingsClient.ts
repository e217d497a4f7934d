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

  /** Sends every request at once. @returns their answers, in the order of `requests` */
  concurrent(requests: readonly PlannedRequest[]): Promise<readonly TimedAnswer[]> {
    return this.send(true, requests)
  }

  /** Sends the requests one after another. @returns their answers, in order */
  sequential(requests: readonly PlannedRequest[]): Promise<readonly TimedAnswer[]> {
    return this.send(false, requests)
  }

  /** Waits for the worker to exit (terminating it after 5 s). */
  close(): Promise<void> {
    return this.channel.exit({ type: 'close' })
  }

  private async send(
    concurrent: boolean,
    requests: readonly PlannedRequest[],
  ): Promise<readonly TimedAnswer[]> {
    const reply = await this.channel.request({
      type: 'send',
      baseUrl: this.baseUrl,
      token: this.token,
      concurrent,
      requests,
    })
    if (reply.type !== 'sent') {
      throw new Error(reply.type === 'failed' ? `client worker: ${reply.message}` : reply.type)
    }
    return reply.answers
  }
}
