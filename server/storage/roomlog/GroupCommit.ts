/**
 * Group commit of the room log: updates of every room are queued, numbered, and written in one
 * transaction per group. A group starts at once when none is in flight and the last one started at
 * least `spacingMs` ago; updates that arrive meanwhile form the next. So a lone keystroke waits for
 * one commit, not for a timer, and under load the commits grow instead of multiplying: at most one
 * hand-off to the store (and one transaction) per `spacingMs`, however many updates arrive.
 *
 * Each update gets a sequence number. Groups commit one after another, and a failed group's updates
 * go back in front of the queue and into the next group, so "every update numbered ≤ committed is
 * durable" always holds. `until(n)` is how the save barrier waits for that.
 *
 * @example
 *   const seq = commit.push('doc:1', update)
 *   await commit.until(seq) // durable (or false: the store kept failing; do not report it saved)
 */
import * as Y from 'yjs'
import type { RoomLogEntry } from './RoomLog'

/** Groups of a room larger than this (bytes) are logged update by update, not merged. */
const MERGE_LIMIT_BYTES = 256 * 1024

/** Tuning of the group commit. */
export interface GroupCommitOptions {
  /** Wait before a group starts when none is in flight (0: at once). */
  readonly delayMs: number
  /**
   * Least time between the starts of two groups (ms). Under a steady load a commit per update cost
   * the relay a hand-off, a transaction and some 12 KiB of pages written for each small update
   * (BENCHMARKS §10); spaced, one commit carries every update of the interval. A save barrier waits
   * at most this much longer, and only while updates keep coming.
   */
  readonly spacingMs: number
  /** First retry after a failed commit (ms); doubles up to `maxRetryMs`. */
  readonly retryMs: number
  readonly maxRetryMs: number
  /** After failing this long, waiters are told the updates could not be saved (ms). */
  readonly giveUpMs: number
}

/** The defaults. */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  delayMs: 0,
  spacingMs: 25,
  retryMs: 50,
  maxRetryMs: 1000,
  giveUpMs: 5000,
}

/** What the group commit is told. */
export interface GroupCommitEvents {
  /** A group was written: its rooms, and the commit's duration (ms). */
  committed(rooms: readonly string[], ms: number): void
  /** A group failed and will be retried. */
  failed(error: unknown, rooms: number, failingForMs: number): void
}

interface Queued {
  readonly updates: Uint8Array[]
  /** Sequence number of the newest update. */
  last: number
}

interface Waiter {
  readonly seq: number
  readonly resolve: (saved: boolean) => void
}

/** The queue and its commits. */
export class GroupCommit {
  private seq = 0
  private committed = 0
  private pending = new Map<string, Queued>()
  private writing: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private waiters: Waiter[] = []
  private failingSince: number | null = null
  /** When the last group started (performance.now()); spacing counts from it. */
  private lastStart = -Infinity
  private retryMs: number
  private closed = false

  constructor(
    private readonly write: (entries: readonly RoomLogEntry[]) => Promise<void>,
    private readonly events: GroupCommitEvents,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {
    this.retryMs = options.retryMs
  }

  /** Queues one update of a room. @returns its sequence number */
  push(room: string, update: Uint8Array): number {
    this.seq++
    const queued = this.pending.get(room)
    if (queued === undefined) {
      this.pending.set(room, { updates: [update], last: this.seq })
    } else {
      queued.updates.push(update)
      queued.last = this.seq
    }
    this.kick()
    return this.seq
  }

  /** Updates queued and not yet in a commit. */
  get queued(): number {
    let count = 0
    for (const queued of this.pending.values()) {
      count += queued.updates.length
    }
    return count
  }

  /** Sequence number of the newest update queued. */
  get newest(): number {
    return this.seq
  }

  /** Every update numbered ≤ this is durable. */
  get durable(): number {
    return this.committed
  }

  /** @returns whether every update numbered ≤ `seq` is durable. */
  isDurable(seq: number): boolean {
    return seq <= this.committed
  }

  /**
   * @returns null when every update numbered ≤ `seq` is durable already; otherwise a promise of
   *   true once they are, or false when the store failed for `giveUpMs` (or the log closed) first.
   */
  until(seq: number): Promise<boolean> | null {
    if (seq <= this.committed) {
      return null
    }
    if (this.closed) {
      return Promise.resolve(false)
    }
    return new Promise((resolve) => {
      this.waiters.push({ seq, resolve })
      this.kick()
    })
  }

  /** Makes one attempt to write everything queued now, without waiting for a timer. */
  async flush(): Promise<void> {
    await this.writing
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.start()
    await this.writing
  }

  /** Stops the timers; waiters are told their updates were not saved. */
  close(): void {
    this.closed = true
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.release(() => true, false)
  }

  private kick(): void {
    if (this.closed || this.writing !== null || this.timer !== null || this.pending.size === 0) {
      return
    }
    const wait = Math.max(
      this.options.delayMs,
      this.lastStart + this.options.spacingMs - performance.now(),
    )
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null
        this.start()
      }, wait)
      return
    }
    this.start()
  }

  private start(): void {
    if (this.writing !== null || this.pending.size === 0) {
      return
    }
    this.lastStart = performance.now()
    this.writing = this.commitGroup().finally(() => {
      this.writing = null
      this.kick()
    })
  }

  private async commitGroup(): Promise<void> {
    const group = this.pending
    this.pending = new Map()
    let upto = 0
    const entries: RoomLogEntry[] = []
    for (const [room, queued] of group) {
      upto = Math.max(upto, queued.last)
      // One merged row per room per group: a short log without losing anything. A large group (a
      // catch-up integrated in slices) is written as it came: merging megabytes on the relay's
      // thread would stall every room.
      const bytes = queued.updates.reduce((sum, update) => sum + update.length, 0)
      if (queued.updates.length === 1 || bytes > MERGE_LIMIT_BYTES) {
        entries.push(...queued.updates.map((update) => ({ room, update })))
      } else {
        entries.push({ room, update: Y.mergeUpdates(queued.updates) })
      }
    }
    const started = performance.now()
    try {
      await this.write(entries)
    } catch (error) {
      this.requeue(group)
      const now = Date.now()
      this.failingSince ??= now
      this.events.failed(error, group.size, now - this.failingSince)
      if (now - this.failingSince >= this.options.giveUpMs) {
        this.release(() => true, false)
      }
      if (!this.closed) {
        this.timer = setTimeout(() => {
          this.timer = null
          this.start()
        }, this.retryMs)
        this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs)
      }
      return
    }
    this.failingSince = null
    this.retryMs = this.options.retryMs
    this.committed = Math.max(this.committed, upto)
    this.release((waiter) => waiter.seq <= this.committed, true)
    this.events.committed([...group.keys()], performance.now() - started)
  }

  /** Puts a failed group back in front of what was queued meanwhile. */
  private requeue(group: Map<string, Queued>): void {
    for (const [room, queued] of this.pending) {
      const failed = group.get(room)
      if (failed === undefined) {
        group.set(room, queued)
      } else {
        failed.updates.push(...queued.updates)
        failed.last = queued.last
      }
    }
    this.pending = group
  }

  private release(which: (waiter: Waiter) => boolean, saved: boolean): void {
    const keep: Waiter[] = []
    for (const waiter of this.waiters) {
      if (which(waiter)) {
        waiter.resolve(saved)
      } else {
        keep.push(waiter)
      }
    }
    this.waiters = keep
  }
}
