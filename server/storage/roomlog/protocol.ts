/**
 * Messages between `WorkerRoomLog` (relay thread) and `roomLogWorker` (its worker thread). Every
 * request carries an id; the worker answers each with the same id, in order.
 */
import type { RoomLogEntry, StoredRoom, WholeRoom } from './RoomLog'

/** A request to the worker. */
export type RoomLogRequest =
  /** Append entries in one transaction. */
  | {
      readonly id: number
      readonly op: 'append'
      readonly entries: readonly RoomLogEntry[]
      readonly now: number
    }
  /** Read a room. */
  | { readonly id: number; readonly op: 'load'; readonly room: string }
  /** Read a room as one update, for a cold load. */
  | { readonly id: number; readonly op: 'loadWhole'; readonly room: string }
  /** Fold a room's log into its snapshot. */
  | { readonly id: number; readonly op: 'compact'; readonly room: string; readonly now: number }
  /** Answer at once (the worker is up). */
  | { readonly id: number; readonly op: 'ping' }
  /** Checkpoint, close the connection and stop. */
  | { readonly id: number; readonly op: 'close' }

/** What the worker answers a request with. */
export type RoomLogValue = StoredRoom | WholeRoom | number | null

/** The worker's answer to one request. */
export type RoomLogResponse =
  | { readonly id: number; readonly ok: true; readonly value: RoomLogValue }
  | { readonly id: number; readonly ok: false; readonly message: string }

/** What the worker is started with. */
export interface RoomLogWorkerData {
  /** Path of the SQLite file (already migrated). */
  readonly file: string
  /** Interval of the passive WAL checkpoints (ms). */
  readonly checkpointMs: number
}
