/** Records security-relevant acts in the keyed, chained audit log, and verifies it. */
import { createSecretKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type {
  AuditChain,
  AuditFilter,
  AuditRow,
  AuditStorage,
  ChainHead,
} from '../storage/AuditStore'
import type { AuditEvent } from './events'
import type { Logger } from '../logger'
import { GENESIS_HASH, entryHash, entryMac, keyFingerprint } from './chain'
import { verifyAuditLog } from './verifyAudit'
import { readCheckpointFile } from './checkpoint'
import type { VerifyInputs, VerifyReport } from './verifyAudit'

export type { VerifyReport } from './verifyAudit'
export type { AuditActor, AuditEvent } from './events'
export { SYSTEM_ACTOR } from './events'

/** Why a relay refuses to open the audit log with its key. */
export class AuditKeyError extends Error {
  constructor(
    /**
     * `wrong_key`: another key keyed the chain; `head_mismatch`: the head entry does not verify;
     * `key_record_missing`: checkpoints exist but the record of the key does not.
     */
    readonly code: 'wrong_key' | 'head_mismatch' | 'key_record_missing',
    message: string,
  ) {
    super(message)
    this.name = 'AuditKeyError'
  }
}

/** What the service needs besides its store. */
export interface AuditServiceOptions {
  /** The chain's HMAC key; null only for a reader without one (then `record` refuses). */
  readonly key: Uint8Array | null
  /** Relay public keys trusted for checkpoints, and checkpoint files to read, for `verify`. */
  readonly trustedKeys?: readonly string[]
  readonly checkpointFiles?: readonly string[]
  readonly now?: () => number
}

/** At most this many events go into one group commit (a single call may bring more). */
const MAX_EVENTS_PER_COMMIT = 500

/** A `record` call waiting for its transaction. */
interface PendingRecord {
  readonly events: readonly AuditEvent[]
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** The audit log. */
export class AuditService implements AuditChain {
  private keyedFrom: number | null = null
  private secretKey: KeyObject | null = null
  /** `record` calls not yet written, oldest first, and whether a group commit is under way. */
  private readonly waiting: PendingRecord[] = []
  private writing = false
  private readonly listeners: ((seq: number) => void)[] = []
  private readonly now: () => number

  constructor(
    private readonly store: AuditStorage,
    private readonly logger: Logger,
    private readonly options: AuditServiceOptions,
  ) {
    this.now = options.now ?? Date.now
  }

  /**
   * Opens the chain for appending with the key: records where keying begins when no key was
   * recorded (a chain from before keying continues from its old head), and checks that this key is
   * the recorded one and verifies the head entry.
   * @throws AuditKeyError when the key is not the chain's or the head does not verify with it.
   */
  async open(): Promise<void> {
    const key = this.requireKey()
    const fingerprint = keyFingerprint(key)
    if ((await this.store.keys()).length === 0 && (await this.hasCheckpoints())) {
      // Checkpoints exist only for a keyed chain: its key record was deleted, which would let a
      // rewritten chain pass as one from before keying.
      throw new AuditKeyError(
        'key_record_missing',
        '审计链的密钥记录（audit_keys）缺失，但已有检查点：请运行 npm run audit:verify 检查 ' +
          '(the audit chain has checkpoints but its key record, audit_keys, is missing: run npm run audit:verify)',
      )
    }
    const { keys, head } = await this.store.openChain((last) => ({
      id: 1,
      fingerprint,
      first_seq: (last === null ? 0 : Number(last.seq)) + 1,
      created_at: this.now(),
    }))
    const current = keys.at(-1)
    if (current === undefined || current.fingerprint !== fingerprint) {
      throw new AuditKeyError(
        'wrong_key',
        '审计密钥与审计链不符：各中继节点必须配置同一个 QILU_AUDIT_KEY（或同一个 audit.key 文件） ' +
          '(the audit key is not the one this audit chain is keyed with: every relay node on one ' +
          'database must be configured with the same QILU_AUDIT_KEY or audit.key file)',
      )
    }
    const keyedFrom = Number(current.first_seq)
    if (
      head !== null &&
      Number(head.seq) >= keyedFrom &&
      entryMac(key, head.prev_hash, head) !== head.hash
    ) {
      throw new AuditKeyError(
        'head_mismatch',
        `审计链末条（第 ${Number(head.seq)} 条）无法用审计密钥验证：请运行 npm run audit:verify 检查 ` +
          `(the audit chain's head, seq ${Number(head.seq)}, does not verify with the audit key: ` +
          'run npm run audit:verify)',
      )
    }
    if (head !== null && keyedFrom === Number(head.seq) + 1 && keys.length === 1) {
      this.logger.info('audit chain keyed', { keyedFrom })
    }
    this.keyedFrom = keyedFrom
  }

  /** The first keyed seq. @throws before `open`. */
  chainKeyedFrom(): number {
    if (this.keyedFrom === null) {
      throw new Error('audit log not opened')
    }
    return this.keyedFrom
  }

  /** Calls `listener` with the new head's seq after each append. */
  onAppended(listener: (seq: number) => void): void {
    this.listeners.push(listener)
  }

  /**
   * Appends events in order, chained, and resolves once they are committed. Calls that arrive while
   * an append is being written go together into the next transaction (group commit: a burst of
   * refusals takes a few transactions, not one each; the first waits one turn of the event loop
   * for others to join it); each call's events stay contiguous. Should a shared transaction fail,
   * each call is retried alone, so one bad event fails only its caller.
   */
  record(...events: AuditEvent[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, resolve, reject })
      if (!this.writing) {
        this.writing = true
        // One turn of the event loop first: on SQLite an append runs to its end before the next
        // request is even read, so without it no two calls of a burst would share a commit.
        setImmediate(() => void this.writeWaiting())
      }
    })
  }

  /** Writes the waiting calls, as many as fit one transaction at a time, until none wait. */
  private async writeWaiting(): Promise<void> {
    this.writing = true
    try {
      while (this.waiting.length > 0) {
        const batch: PendingRecord[] = []
        let count = 0
        while (this.waiting.length > 0 && (batch.length === 0 || count < MAX_EVENTS_PER_COMMIT)) {
          const next = this.waiting.shift() as PendingRecord
          batch.push(next)
          count += next.events.length
        }
        try {
          await this.append(batch.flatMap((pending) => pending.events))
          batch.forEach((pending) => pending.resolve())
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.reject(error)
            continue
          }
          for (const pending of batch) {
            await this.append(pending.events).then(pending.resolve, pending.reject)
          }
        }
      }
    } finally {
      this.writing = false
    }
  }

  private async append(events: readonly AuditEvent[]): Promise<void> {
    let appended: AuditRow[]
    try {
      appended = await this.store.append((last) => this.seal(events, last))
    } catch (error) {
      // Losing an audit entry silently is not acceptable; make it loud in the operations log.
      this.logger.error('audit append failed', {
        error: String(error),
        actions: events.map((e) => e.action),
      })
      throw error
    }
    this.appended(appended)
  }

  /**
   * Builds the chained rows of `events` after the head `last` (AuditChain: a unit of work appends
   * them in its own transaction, under the chain's lock).
   * @throws before `open`, or without the key
   */
  seal(events: readonly AuditEvent[], last: ChainHead | null): AuditRow[] {
    const key = this.requireKey()
    const keyedFrom = this.chainKeyedFrom()
    let prevHash = last?.hash ?? GENESIS_HASH
    let seq = last?.seq ?? 0
    return events.map((event) => {
      seq++
      const content = {
        seq,
        at: this.now(),
        actor_id: event.actor.id,
        actor_name: event.actor.name,
        action: event.action,
        target: event.target ?? null,
        detail: JSON.stringify(event.detail ?? {}),
        ip: event.ip ?? null,
      }
      const hash =
        seq >= keyedFrom ? entryMac(key, prevHash, content) : entryHash(prevHash, content)
      const row: AuditRow = { ...content, prev_hash: prevHash, hash }
      prevHash = hash
      return row
    })
  }

  /** Tells the listeners (the checkpoint job) about rows committed to the chain. */
  appended(rows: readonly AuditRow[]): void {
    const head = rows.at(-1)
    if (head !== undefined) {
      this.listeners.forEach((listener) => listener(Number(head.seq)))
    }
  }

  /** Walks the whole chain with the key, against the newest trusted checkpoint. */
  verify(overrides: Partial<VerifyInputs> = {}): Promise<VerifyReport> {
    return verifyAuditLog(this.store, {
      key: this.options.key,
      trustedKeys: this.options.trustedKeys ?? [],
      files: this.options.checkpointFiles ?? [],
      ...overrides,
    })
  }

  /** Rows for the viewer, newest first. */
  search(
    filter: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: AuditRow[]; total: number }> {
    return this.store.search(filter, limit, offset)
  }

  private async hasCheckpoints(): Promise<boolean> {
    if ((await this.store.checkpoints(1)).length > 0) {
      return true
    }
    return (this.options.checkpointFiles ?? []).some(
      (file) => (readCheckpointFile(file)?.checkpoints.length ?? 0) > 0,
    )
  }

  /**
   * @returns the audit key as a KeyObject, made once: an HMAC given raw bytes prepares a key
   *   object of its own at every entry.
   */
  private requireKey(): KeyObject {
    if (this.options.key === null) {
      throw new Error('the audit log cannot be written without the audit key')
    }
    this.secretKey ??= createSecretKey(this.options.key)
    return this.secretKey
  }
}
