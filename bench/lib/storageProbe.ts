/**
 * Times our relay's update-log calls during the fan-out rounds: appending a flush to the log and
 * folding a room's log into a snapshot (compaction). On SQLite they run in the room log's worker
 * thread, so these are round trips (queueing included) that no longer block the relay's event
 * loop; on PostgreSQL they are network calls. The wrappers only measure; every call passes through.
 */
import { performance } from 'node:perf_hooks'
import type { Storage } from '../../server/storage/Storage'

/** What the probe saw since its last reset. */
export interface StorageSample {
  /** Durations (ms) of RoomLog.append calls (one per flush, all rooms). */
  readonly writes: number[]
  /** Durations (ms) of RoomLog.compact calls (read the log, merge it, write the snapshot). */
  readonly compactions: number[]
}

/** A probe on one Storage instance. */
export interface StorageProbe {
  /** @returns what was recorded since the previous call, and starts a new recording. */
  take(): StorageSample
}

/** Wraps `storage.roomLog`'s `append` and `compact` to time log writes and compactions. */
export function probeStorage(storage: Storage): StorageProbe {
  let current: StorageSample = { writes: [], compactions: [] }
  const log = storage.roomLog
  const append = log.append.bind(log)
  const compact = log.compact.bind(log)
  log.append = async (entries, now) => {
    const started = performance.now()
    try {
      await append(entries, now)
    } finally {
      current.writes.push(performance.now() - started)
    }
  }
  log.compact = async (room, now) => {
    const started = performance.now()
    try {
      return await compact(room, now)
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
