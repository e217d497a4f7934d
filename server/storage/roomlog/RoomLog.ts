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

/**
 * A room read for a cold load, cut so that the relay's thread integrates it in short steps with
 * other rooms served between them (sliceRoom.ts).
 */
export interface SlicedRoom {
  /** Updates to apply in this order; each integrates without pending structs (deletions last). */
  readonly slices: readonly Uint8Array[]
  /** What waits for structs the store lacks, applied after the slices (Yjs keeps it pending). */
  readonly waiting: Uint8Array | null
  /** The whole stored state as one update, or null when the room is empty or not read whole. */
  readonly whole: Uint8Array | null
  /** How many updates are logged after the snapshot. */
  readonly logged: number
}

/**
 * A room's stored state as one update (the room log's worker folds a log into the snapshot), or,
 * for a small room, as stored (folding would cost more than applying the parts, on the same core).
 */
export interface WholeRoom {
  /** The snapshot, or the snapshot and the log folded; null when nothing is stored or `parts`. */
  readonly whole: Uint8Array | null
  /** A small room's snapshot (if any) and log, unfolded, in order. */
  readonly parts?: readonly Uint8Array[]
  /** How many updates are logged after the snapshot. */
  readonly logged: number
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
  /** Reads a room for a cold load, folded and sliced off the relay's thread where it can be. */
  loadSliced(room: string): Promise<SlicedRoom>
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
