/**
 * Times our relay's storage calls on the update-log path during the fan-out rounds: appending to the
 * log (every flush) and replacing a room's log by a snapshot (compaction, every 500 logged rows).
 *
 * On SQLite these calls run synchronously (better-sqlite3) on the relay's event-loop thread, and
 * every ~1000 WAL pages one write also runs the WAL checkpoint with its fsyncs. A slow call delays
 * the fan-out of every room on the node, which is what this probe makes visible. The wrappers only
 * measure; every call passes through unchanged.
 */
import { performance } from 'node:perf_hooks'
import type { Storage } from '../../server/storage/Storage'

/** What the probe saw since its last reset. */
export interface StorageSample {
  /** Durations (ms) of Storage.appendUpdates calls. */
  readonly writes: number[]
  /**
   * Durations (ms) of compactions: from the relay's Storage.loadRoom of the room (reading its log)
   * through merging the log to the end of its Storage.compactRoom (writing the snapshot).
   */
  readonly compactions: number[]
}

/** A probe on one Storage instance. */
export interface StorageProbe {
  /** @returns what was recorded since the previous call, and starts a new recording. */
  take(): StorageSample
}

/**
 * Wraps `storage.appendUpdates`, `loadRoom` and `compactRoom` to time log writes and compactions.
 * Install it once the rooms are loaded: from then on the relay reads a room only to compact it.
 */
export function probeStorage(storage: Storage): StorageProbe {
  let current: StorageSample = { writes: [], compactions: [] }
  const readStarted = new Map<string, number>()
  const append = storage.appendUpdates.bind(storage)
  const load = storage.loadRoom.bind(storage)
  const compact = storage.compactRoom.bind(storage)
  storage.loadRoom = (room) => {
    readStarted.set(room, performance.now())
    return load(room)
  }
  storage.appendUpdates = async (room, updates, now) => {
    const started = performance.now()
    try {
      return await append(room, updates, now)
    } finally {
      current.writes.push(performance.now() - started)
    }
  }
  storage.compactRoom = async (room, data, lastUpdateId, now) => {
    const started = readStarted.get(room) ?? performance.now()
    readStarted.delete(room)
    try {
      await compact(room, data, lastUpdateId, now)
    } finally {
      current.compactions.push(performance.now() - started)
    }
  }
  return {
    take() {
      const taken = current
      current = { writes: [], compactions: [] }
      return taken
    },
  }
}
