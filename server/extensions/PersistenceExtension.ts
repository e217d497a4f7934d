/**
 * Persists rooms: every document update goes to the room log by group commit (GroupCommit: one
 * transaction for every room's queued updates, started at once when none is in flight), the log is
 * compacted into a snapshot in the background, and everything is flushed when a room unloads or
 * the relay stops.
 *
 * "已保存" means saved: the relay answers a client's save barrier (a sync step 1) only once every
 * update queued for the room before it is durable (`beforeSyncAnswer`). Updates still fan out to
 * the other clients at once; only the sender's acknowledgement waits for the disk. When the store
 * keeps failing, the waiting connections are closed with `storage_unavailable` (1013) instead of
 * answered: the client keeps its changes and sends them again when it reconnects.
 */
import type { Logger } from '../logger'
import type { Storage } from '../storage/Storage'
import type { ChangePayload, Extension, RoomPayload, SyncPayload } from '../relay/hooks'
import { LOAD_ORIGIN, REMOTE_ORIGIN } from '../relay/origins'
import { PRIORITY } from './priorities'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { DEFAULT_GROUP_COMMIT, GroupCommit } from '../storage/roomlog/GroupCommit'
import { applyInTurns } from '../storage/roomlog/applyInTurns'
import type { GroupCommitOptions } from '../storage/roomlog/GroupCommit'

/** Tuning of the write path. */
export interface PersistenceOptions {
  /** Compact a room once this many updates are logged after its snapshot. */
  readonly compactAfter: number
  /**
   * Whether a save barrier waits until the room's updates are durable (true, the default). False
   * answers at once, as the relay did before: only for benchmarks and drills that compare the two.
   */
  readonly durableAck: boolean
  /** The group commit (start delay, retries, how long a failing store may keep barriers waiting). */
  readonly commit: GroupCommitOptions
}

/** The defaults. */
export const DEFAULT_PERSISTENCE: PersistenceOptions = {
  compactAfter: 500,
  durableAck: true,
  commit: DEFAULT_GROUP_COMMIT,
}

/** Who hears of the update log's commits. */
export interface PersistenceListeners {
  /** Told each room whose content a commit stored (RoomAccess: the documentStored event). */
  readonly stored?: { roomStored(room: string): void }
  /** Told each commit's duration in seconds (MetricsExtension). */
  readonly commits?: { commit(seconds: number): void }
  /** Told the rooms of each commit (RedisExtension tells the other nodes what is stored). */
  readonly durable?: { roomsDurable(rooms: readonly string[]): void }
}

/**
 * What the room log tells the other nodes' fan-out (RedisExtension): the numbering of this node's
 * updates and how far they are durable, and the storing of updates another node fanned out and
 * may never store (it died): `adopt`.
 */
export interface Durability {
  /** Number of the room's newest update queued here (0: none). */
  seqOf(room: string): number
  /** Every update of this node numbered ≤ this is durable. */
  readonly durableSeq: number
  /**
   * Queues another node's updates of a room to be stored here.
   * @returns null when nothing was queued; otherwise true once stored, false when the store failed
   */
  adopt(room: string, updates: readonly Uint8Array[]): Promise<boolean> | null
}

/** Update log + snapshots. */
export class PersistenceExtension implements Extension, Durability {
  readonly name = 'persistence'
  readonly priority = PRIORITY.persistence
  private readonly logged = new Map<string, number>()
  private readonly compacting = new Map<string, Promise<void>>()
  /** Sequence number of each room's newest queued update (GroupCommit's numbering). */
  private readonly roomSeq = new Map<string, number>()
  private readonly commit: GroupCommit
  private readonly options: PersistenceOptions
  private destroyed = false

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    options: Partial<PersistenceOptions> = {},
    private readonly listeners: PersistenceListeners = {},
  ) {
    this.options = { ...DEFAULT_PERSISTENCE, ...options }
    this.commit = new GroupCommit(
      (entries) => this.storage.roomLog.append(entries, Date.now()),
      {
        committed: (rooms, ms) => this.committed(rooms, ms),
        failed: (error, rooms, failingForMs) =>
          this.logger.error('update log write failed; will retry', {
            rooms,
            failingForMs,
            error: String(error),
          }),
      },
      this.options.commit,
    )
  }

  seqOf(room: string): number {
    return this.roomSeq.get(room) ?? 0
  }

  get durableSeq(): number {
    return this.commit.durable
  }

  adopt(room: string, updates: readonly Uint8Array[]): Promise<boolean> | null {
    if (updates.length === 0 || this.destroyed) {
      return null
    }
    for (const update of updates) {
      this.roomSeq.set(room, this.commit.push(room, update))
    }
    return this.commit.until(this.roomSeq.get(room) ?? 0)
  }

  /** Updates waiting to be written (the metrics' queue depth). */
  get queued(): number {
    return this.commit.queued
  }

  /**
   * Fills the room from storage without one long step on the relay's thread: the room log reads,
   * folds and slices it off the thread (SQLite: its worker), the slices are applied a few per turn
   * of the event loop, and the whole stored update becomes the room's answer to a client that has
   * nothing (no encoding of the document anew). The relay holds the room's sockets and services
   * until this resolves, with whatever they send in order.
   */
  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    await this.compacting.get(room.name)
    const stored = await this.storage.roomLog.loadSliced(room.name)
    await applyInTurns(
      room.doc,
      stored.waiting === null ? stored.slices : [...stored.slices, stored.waiting],
      LOAD_ORIGIN,
    )
    if (stored.whole !== null) {
      room.primeAnswers(stored.whole)
    }
    this.logged.set(room.name, stored.logged)
  }

  onChange({ room, update, origin }: ChangePayload): void {
    if (origin === LOAD_ORIGIN || origin === REMOTE_ORIGIN) {
      return
    }
    if (this.destroyed) {
      this.logger.error('update after shutdown not persisted', { room: room.name })
      return
    }
    this.roomSeq.set(room.name, this.commit.push(room.name, update))
  }

  /**
   * The save barrier: resolves once every update queued for the room so far is durable (the
   * connection's own, and any it might have completed). Returns nothing when they already are, so
   * the answer is not delayed by a turn of the event loop.
   */
  beforeSyncAnswer({ connection, room }: SyncPayload): Promise<void> | undefined {
    if (!this.options.durableAck) {
      return undefined
    }
    const waiting = this.commit.until(this.roomSeq.get(room.name) ?? 0)
    if (waiting === null) {
      return undefined
    }
    return waiting.then((saved) => {
      if (!saved) {
        // Never answer as saved what is not: the client reconnects and sends its changes again.
        connection.close(CloseEvents.storageUnavailable)
      }
    })
  }

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    await this.flush()
    await this.compacting.get(room.name)
    if ((this.logged.get(room.name) ?? 0) > 0) {
      await this.compact(room.name)
    }
    this.logged.delete(room.name)
    if (this.commit.isDurable(this.roomSeq.get(room.name) ?? 0)) {
      this.roomSeq.delete(room.name)
    }
  }

  async onDestroy(): Promise<void> {
    this.destroyed = true
    await this.flush()
    this.commit.close()
    await Promise.all(this.compacting.values())
  }

  /** Makes one attempt to write every queued update now. */
  flush(): Promise<void> {
    return this.commit.flush()
  }

  private committed(rooms: readonly string[], ms: number): void {
    this.listeners.commits?.commit(ms / 1000)
    this.listeners.durable?.roomsDurable(rooms)
    for (const room of rooms) {
      const count = (this.logged.get(room) ?? 0) + 1
      this.logged.set(room, count)
      this.listeners.stored?.roomStored(room)
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
