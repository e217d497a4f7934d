/**
 * The per-room update log and its snapshot, the one hot write path of the relay. Two
 * implementations: `StorageRoomLog` on the Kysely storage (PostgreSQL, where writes are
 * asynchronous network calls) and `WorkerRoomLog` (SQLite, whose driver is synchronous: a worker
 * thread with its own connection keeps log writes, compactions and WAL checkpoints off the relay's
 * event loop, so they never delay the fan-out).
 */

/** A room's stored state: the snapshot plus every update logged after it. */
export interface StoredRoom {
  readonly snapshot: Uint8Array | null
  readonly updates: readonly Uint8Array[]
  /** Id of the newest update included (snapshot or log), 0 when the room is empty. */
  readonly lastUpdateId: number
}

/** One room's merged update of a flush. */
export interface RoomLogEntry {
  readonly room: string
  readonly update: Uint8Array
}

/** Append-only update log per room, compacted into snapshots. */
export interface RoomLog {
  /** Appends every entry in one transaction: all are durable when it resolves. */
  append(entries: readonly RoomLogEntry[], now: number): Promise<void>
  /** Reads a room's snapshot and the updates logged after it. */
  load(room: string): Promise<StoredRoom>
  /**
   * Folds the room's log into its snapshot (reading the store, so it is right whichever node wrote).
   * @returns the number of logged updates folded.
   */
  compact(room: string, now: number): Promise<number>
  /** Resolves once the log can serve requests (starts its worker, if it has one). */
  ready(): Promise<void>
  /** Finishes queued work and releases resources. */
  close(): Promise<void>
}
