/**
 * Messages between the fan-out benchmark (main thread, which also hosts our relay) and the worker
 * thread holding every client. Requests are answered one at a time, in order.
 */

/** Which server a group of clients is connected to. */
export type Target =
  /** Our relay (auth, ACL, persistence). */
  | 'ours'
  /** The stock y-websocket server. */
  | 'reference'

/** One room and the session tokens of its clients (null: the server takes no token). */
export interface RoomPlan {
  readonly name: string
  readonly tokens: readonly (string | null)[]
}

/** What the main thread asks of the worker. */
export type WorkerRequest =
  /** Connect one client per token and wait until every one has synced. */
  | {
      readonly type: 'connect'
      readonly target: Target
      readonly serverUrl: string
      readonly rooms: readonly RoomPlan[]
    }
  /** Send updates for `durationMs` and report what was observed. */
  | { readonly type: 'round'; readonly target: Target; readonly plan: RoundPlan }
  /** Check that every room's clients hold the same text. */
  | { readonly type: 'verify'; readonly target: Target }
  /** Close every client; the worker then exits on its own. */
  | { readonly type: 'close' }

/** The send schedule of one round. */
export interface RoundPlan {
  readonly durationMs: number
  /** Each room sends one update per interval, round-robin over its clients. */
  readonly intervalMs: number
  /** How long to wait for late deliveries after the last send. */
  readonly graceMs: number
}

/** What one round observed. */
export interface RoundResult {
  /** Update → observed latencies (ms), one per receiving client. */
  readonly latencies: Float64Array
  readonly updatesSent: number
  /** updatesSent × (clients per room − 1). */
  readonly deliveriesExpected: number
  /** Provider disconnects seen during the round (should be 0). */
  readonly disconnects: number
  /** Event-loop utilisation of the client thread during the round (0..1). */
  readonly clientElu: number
  /** Longest garbage-collection pause of the client thread during the round (ms). */
  readonly clientGcMaxMs: number
  /** Longest event-loop delay of the client thread during the round (ms). */
  readonly clientLoopDelayMaxMs: number
  readonly wallMs: number
}

/** What the worker answers. */
export type WorkerReply =
  | { readonly type: 'connected'; readonly target: Target; readonly ms: number }
  | { readonly type: 'round'; readonly target: Target; readonly result: RoundResult }
  | {
      readonly type: 'verified'
      readonly target: Target
      readonly converged: boolean
      readonly chars: number
    }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string }
