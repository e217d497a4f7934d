/**
 * Messages between the meetings benchmark (main thread, which hosts the relay) and the worker thread
 * that sends its measured HTTP requests, so that the client's own CPU (building, sending and parsing
 * 200 requests at once) is not spent on the relay's event loop. Requests are answered one at a time.
 */

/** One HTTP request of a batch. */
export interface PlannedRequest {
  readonly method: 'GET' | 'POST'
  /** Path under `/api/v1`, e.g. `/meetings`. */
  readonly route: string
  readonly body?: unknown
  /** The bearer token of the person sending it (the batch's token otherwise). */
  readonly token?: string
}

/** What the main thread asks of the worker. */
export type MeetingsRequest =
  /**
   * Send the requests with the token: all at once (`concurrent`), or one after another; each is
   * timed from before it is sent until its body has been read.
   */
  | {
      readonly type: 'send'
      readonly baseUrl: string
      readonly token: string
      readonly concurrent: boolean
      /**
       * `warm`: kept-alive connections, opened before a concurrent batch (signed-in users' open
       * connections); `fresh`: a new connection per request.
       */
      readonly connections: 'warm' | 'fresh'
      readonly requests: readonly PlannedRequest[]
    }
  /** Open (and keep) at least `count` connections to the relay. */
  | { readonly type: 'warm'; readonly baseUrl: string; readonly count: number }
  /** The worker then exits on its own. */
  | { readonly type: 'close' }

/** One answer, as the client saw it. */
export interface TimedAnswer {
  readonly status: number
  readonly ms: number
  readonly body: unknown
}

/** What the worker answers. */
export type MeetingsReply =
  | { readonly type: 'sent'; readonly answers: readonly TimedAnswer[] }
  | { readonly type: 'warmed' }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string }
