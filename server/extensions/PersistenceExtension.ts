/**
 * Persists rooms: every document update is appended to the room's log within a few milliseconds
 * (batched per room), the log is compacted into a snapshot in the background, and everything is
 * flushed when a room unloads or the relay stops.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Storage } from '../storage/Storage'
import type { Extension } from '../relay/types'
import type { Room } from '../relay/Room'

/** Batches of a room larger than this (bytes) are logged update by update, not merged. */
const MERGE_LIMIT_BYTES = 256 * 1024

/** Tuning of the write path. */
export interface PersistenceOptions {
  /** Longest an update waits before it is written (ms). */
  readonly flushDelayMs: number
  /** Compact a room once this many updates are logged after its snapshot. */
  readonly compactAfter: number
}

/** Marks updates that arrived from another relay node (that node persists them). */
export const REMOTE_ORIGIN = Symbol('remote')

/** Update log + snapshots. */
export class PersistenceExtension implements Extension {
  readonly name = 'persistence'
  private readonly pending = new Map<string, Uint8Array[]>()
  private readonly logged = new Map<string, number>()
  private readonly compacting = new Map<string, Promise<void>>()
  private flushTimer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()
  private destroyed = false

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly options: PersistenceOptions = { flushDelayMs: 5, compactAfter: 500 },
    /** Told after a document room's content is written (to keep documents.updated_at fresh). */
    private readonly onPersisted: (room: string) => void = () => {},
  ) {}

  async onLoadRoom(room: Room): Promise<void> {
    await this.compacting.get(room.name)
    const stored = await this.storage.roomLog.load(room.name)
    Y.transact(
      room.doc,
      () => {
        if (stored.snapshot !== null) {
          Y.applyUpdate(room.doc, stored.snapshot)
        }
        for (const update of stored.updates) {
          Y.applyUpdate(room.doc, update)
        }
      },
      room.loadOrigin,
    )
    this.logged.set(room.name, stored.updates.length)
  }

  onChange(room: Room, update: Uint8Array, origin: unknown): void {
    if (origin === room.loadOrigin || origin === REMOTE_ORIGIN) {
      return
    }
    if (this.destroyed) {
      this.logger.error('update after shutdown not persisted', { room: room.name })
      return
    }
    const queue = this.pending.get(room.name)
    if (queue === undefined) {
      this.pending.set(room.name, [update])
    } else {
      queue.push(update)
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null
      void this.flush()
    }, this.options.flushDelayMs)
  }

  async onUnloadRoom(room: Room): Promise<void> {
    await this.flush()
    await this.compacting.get(room.name)
    if ((this.logged.get(room.name) ?? 0) > 0) {
      await this.compact(room.name)
    }
    this.logged.delete(room.name)
  }

  async onDestroy(): Promise<void> {
    this.destroyed = true
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer)
      this.flushTimer = null
    }
    await this.flush()
    await Promise.all(this.compacting.values())
  }

  /** Writes every queued update; concurrent calls are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending())
    return this.flushing
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) {
      return
    }
    const batches = [...this.pending.entries()]
    this.pending.clear()
    // One merged row per room per flush, every room in one transaction: a commit per flush
    // instead of per room, and a short log without losing anything.
    // A large batch (a catch-up integrated in slices) is written as it came: merging megabytes
    // on the relay's thread would stall every room.
    const entries = batches.flatMap(([room, updates]) =>
      updates.length === 1 || updates.reduce((sum, u) => sum + u.length, 0) > MERGE_LIMIT_BYTES
        ? updates.map((update) => ({ room, update }))
        : [{ room, update: Y.mergeUpdates(updates) }],
    )
    try {
      await this.storage.roomLog.append(entries, Date.now())
    } catch (error) {
      this.logger.error('update log write failed; will retry', {
        rooms: batches.length,
        error: String(error),
      })
      for (const [room, updates] of batches) {
        const queue = this.pending.get(room) ?? []
        this.pending.set(room, [...updates, ...queue])
      }
      if (this.destroyed) {
        // The relay is stopping and the store is going away: nothing left to retry on.
        return
      }
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null
        void this.flush()
      }, 1000)
      return
    }
    for (const { room } of entries) {
      const count = (this.logged.get(room) ?? 0) + 1
      this.logged.set(room, count)
      this.onPersisted(room)
      if (
        count >= compactionThreshold(room, this.options.compactAfter) &&
        !this.compacting.has(room)
      ) {
        const work = this.compact(room).finally(() => this.compacting.delete(room))
        this.compacting.set(room, work)
      }
    }
  }

  /**
   * Folds the stored log into the snapshot. It reads the store rather than the in-memory document,
   * so it is correct whichever relay node wrote the updates.
   */
  private async compact(room: string): Promise<void> {
    try {
      const folded = await this.storage.roomLog.compact(room, Date.now())
      if (this.logged.has(room)) {
        this.logged.set(room, Math.max(0, (this.logged.get(room) ?? 0) - folded))
      }
    } catch (error) {
      this.logger.error('compaction failed', { room, error: String(error) })
    }
  }
}

/**
 * The log length at which a room compacts: `compactAfter` ± 20 %, fixed per room, so rooms edited
 * together do not all compact in the same flush.
 */
export function compactionThreshold(room: string, compactAfter: number): number {
  let hash = 0
  for (let i = 0; i < room.length; i++) {
    hash = (hash * 31 + room.charCodeAt(i)) >>> 0
  }
  return Math.max(1, Math.round(compactAfter * (0.8 + ((hash % 1000) / 1000) * 0.4)))
}
