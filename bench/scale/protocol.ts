/**
 * Messages between the scale benchmark's main thread and its load worker (loadWorker.ts), which
 * holds the clients. Requests are answered one at a time, in order.
 */
import type { Dialect } from './SyncClient'

/** One room and the tokens of its clients (null: the server takes none). */
export interface RoomPlan {
  readonly name: string
  readonly tokens: readonly (string | null)[]
}

/** The clients of one scenario on one server. */
export interface GroupPlan {
  readonly group: string
  readonly dialect: Dialect
  readonly url: string
  /**
   * Several nodes of one deployment: client `i` of room `r` connects to `urls[(r + i) % n]`
   * instead of `url`, so each room has members on different nodes.
   */
  readonly urls?: readonly string[]
  readonly rooms: readonly RoomPlan[]
  /** Give up waiting for every client to sync after this long (ms). */
  readonly timeoutMs: number
}

/** The send schedule of one round. */
export interface RoundPlan {
  readonly group: string
  /** Updates per second over all rooms, each room in turn (round-robin over its clients). */
  readonly rate: number
  readonly durationMs: number
  /** How long to wait for late deliveries after the last send. */
  readonly graceMs: number
}

/** What one round observed. */
export interface RoundResult {
  /** Insert → observed latencies (ms), one per receiving client. */
  readonly latencies: Float64Array
  /** When each latency's update was sent (epoch ms, sub-ms precision), same order. */
  readonly sentAt: Float64Array
  readonly updatesSent: number
  readonly deliveriesExpected: number
  /** Event-loop utilisation of the client thread during the round (0..1). */
  readonly clientElu: number
  /** CPU the client thread spent on the round (ms): what the load generator costs per update. */
  readonly clientCpuMs: number
  readonly wallMs: number
}

export type WorkerRequest =
  | ({ readonly type: 'connect' } & GroupPlan)
  | ({ readonly type: 'round' } & RoundPlan)
  /** Remember "now": the storm that follows is timed from here. */
  | { readonly type: 'mark'; readonly group: string }
  /** Wait until every client lost its socket after the mark and synced again. */
  | { readonly type: 'resynced'; readonly group: string; readonly timeoutMs: number }
  | { readonly type: 'verify'; readonly group: string }
  | { readonly type: 'close'; readonly group: string }
  | { readonly type: 'exit' }

export type WorkerReply =
  | { readonly type: 'connected'; readonly ms: number; readonly refused: number }
  | { readonly type: 'round'; readonly result: RoundResult }
  | { readonly type: 'marked' }
  | { readonly type: 'resynced'; readonly ms: number; readonly pending: number }
  | { readonly type: 'verified'; readonly converged: boolean }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string }
