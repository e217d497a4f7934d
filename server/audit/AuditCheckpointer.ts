/**
 * Takes signed checkpoints of the audit chain's head: every `intervalMs` when the head moved, as
 * soon as `everyEntries` entries were appended since the last one, and at shutdown. A lease in the
 * database makes one node at a time do it (DESIGN §5); a checkpoint is idempotent anyway (one per
 * count). Each goes to the checkpoint file first, then to the table.
 */
import { randomUUID } from 'node:crypto'
import type { AuditStorage } from '../storage/AuditStore'
import type { LeaseStore } from '../storage/LeaseStore'
import type { Sm2KeyPair } from '../crypto/sm2'
import type { Logger } from '../logger'
import { appendCheckpointFile, signCheckpoint } from './checkpoint'
import type { Checkpoint } from './checkpoint'

/** When checkpoints are taken. */
export interface CheckpointTiming {
  /** Longest time between a new entry and its checkpoint (ms). */
  readonly intervalMs: number
  /** Take one at once after this many new entries. */
  readonly everyEntries: number
}

/** The defaults: a minute, or 1000 entries. */
export const DEFAULT_CHECKPOINT_TIMING: CheckpointTiming = {
  intervalMs: 60_000,
  everyEntries: 1000,
}

/** Name of the lease in `audit_leases`. */
export const CHECKPOINT_LEASE = 'audit.checkpoint'

/** The checkpoint job of one relay node. */
export class AuditCheckpointer {
  /** This process's identity as a lease holder. */
  readonly holder = randomUUID()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<Checkpoint | null> | null = null
  private covered = 0
  private stopped = false

  constructor(
    private readonly store: AuditStorage,
    private readonly leases: LeaseStore,
    private readonly pair: Sm2KeyPair,
    private readonly file: string,
    private readonly keyedFrom: () => number,
    private readonly logger: Logger,
    private readonly timing: CheckpointTiming = DEFAULT_CHECKPOINT_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the timer. */
  start(): void {
    this.timer ??= setInterval(() => void this.checkpoint(), this.timing.intervalMs)
    this.timer.unref()
  }

  /** Told after entries are appended; checkpoints at once when enough are uncovered. */
  appended(seq: number): void {
    if (!this.stopped && seq - this.covered >= this.timing.everyEntries) {
      void this.checkpoint()
    }
  }

  /**
   * Checkpoints the head when this node holds (or takes) the lease and the head moved since the
   * last checkpoint. Concurrent calls share one run. @returns the checkpoint made, or null.
   */
  checkpoint(): Promise<Checkpoint | null> {
    this.running ??= this.run()
      .catch((error: unknown) => {
        this.logger.error('audit checkpoint failed', { error: String(error) })
        return null
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  /** Stops the timer, takes a last checkpoint and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
    await this.running
    await this.checkpoint()
    await this.leases.release(CHECKPOINT_LEASE, this.holder).catch(() => {})
  }

  private async run(): Promise<Checkpoint | null> {
    const now = this.now()
    // The lease outlives a few missed intervals only, so another node takes over soon after a crash.
    const ttl = Math.max(3 * this.timing.intervalMs, 10_000)
    if (!(await this.leases.acquire(CHECKPOINT_LEASE, this.holder, ttl, now))) {
      return null
    }
    const head = await this.store.head()
    const [latest] = await this.store.checkpoints(1)
    this.covered = latest === undefined ? 0 : Number(latest.count)
    if (head === null || Number(head.seq) <= this.covered) {
      return null
    }
    const checkpoint = signCheckpoint(
      {
        count: Number(head.seq),
        head: head.hash,
        keyedFrom: this.keyedFrom(),
        at: new Date(now).toISOString(),
      },
      this.pair,
    )
    appendCheckpointFile(this.file, checkpoint)
    await this.store.insertCheckpoint({
      count: checkpoint.count,
      head_hash: checkpoint.head,
      keyed_from: checkpoint.keyedFrom,
      at: now,
      public_key: checkpoint.publicKey,
      signature: checkpoint.signature,
    })
    this.covered = checkpoint.count
    return checkpoint
  }
}
