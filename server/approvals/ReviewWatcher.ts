/**
 * 发文复核: when a document with a running, signed-off approval is stored, its content is compared
 * with what the 签发 bound to (the engine's `systemDuties`: on the substantive digest, so
 * punctuation and whitespace do not count, unless the deployment turned that rule off with
 * QILU_REVIEW_IGNORE_PUNCTUATION=0, when any change of the digest counts). A change records a system `reopen`: the
 * 签发 goes back to its original signer's 待办 with ⚠. Work is debounced per document and bounded
 * (at most MAX_WAITING documents wait; one batch of checks runs at a time). The documents whose
 * quiet time ended within a short gather window are checked together: whether an approval runs on
 * them is one query for all (the body locks' cache, or one re-read of those it holds too old), since
 * nearly none has one.
 */
import { systemDuties } from '../../shared/approvals'
import type { Logger } from '../logger'
import type { RoomPort } from '../relay/ports'
import type { Storage } from '../storage/Storage'
import type { ApprovalRow } from '../storage/approvals/ApprovalStore'
import type { ApprovalBodyLocks } from './ApprovalBodyLocks'
import type { ApprovalEffects } from './ApprovalEffects'
import { readContent } from './content'
import { recordAction } from './recordAction'
import { loadApproval } from './views'
import { QuietTimer } from '../QuietTimer'

const MAX_WAITING = 10_000
/** Longest gather window of a batch of checks (ms). */
const GATHER_MS = 250

/** How the watcher judges. */
export interface ReviewOptions {
  /** Quiet time after a store before the check (ms; 1000 by default). */
  readonly delayMs?: number
  /** Punctuation and whitespace only do not count (true by default). */
  readonly ignorePunctuation?: boolean
}

/** Watches stored documents for changes after 签发. */
export class ReviewWatcher {
  /** Documents in their quiet time: the timer, and when each was last stored. */
  private readonly timers = new Map<string, { storedAt: number; readonly timer: QuietTimer }>()
  /** Documents whose quiet time ended, and when each was last stored (its check reads after that). */
  private due = new Map<string, number>()
  private gathering: NodeJS.Timeout | null = null
  private chain: Promise<void> = Promise.resolve()
  private stopped = false
  private readonly delayMs: number
  private readonly ignorePunctuation: boolean

  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomPort,
    private readonly effects: ApprovalEffects,
    private readonly logger: Logger,
    options: ReviewOptions = {},
    private readonly locks: Pick<ApprovalBodyLocks, 'runningOf'> | null = null,
  ) {
    this.delayMs = options.delayMs ?? 1000
    this.ignorePunctuation = options.ignorePunctuation ?? true
  }

  /** Checks the document after a quiet `delayMs` (a later store restarts the wait). */
  schedule(documentId: string): void {
    if (this.stopped) {
      return
    }
    const waiting = this.timers.get(documentId)
    if (waiting !== undefined) {
      // Stored again: the quiet time restarts (the timer waits it out) and the check must read
      // what is stored now.
      waiting.storedAt = Date.now()
      waiting.timer.touch()
      return
    }
    if (this.timers.size >= MAX_WAITING) {
      this.logger.warn('发文复核 queue full; a stored document is not re-checked now', {
        documentId,
      })
      return
    }
    const waiter = {
      storedAt: Date.now(),
      timer: new QuietTimer(this.delayMs, () => {
        this.timers.delete(documentId)
        this.due.set(documentId, waiter.storedAt)
        this.gather()
      }),
    }
    this.timers.set(documentId, waiter)
  }

  stop(): void {
    this.stopped = true
    for (const { timer } of this.timers.values()) {
      timer.cancel()
    }
    this.timers.clear()
    if (this.gathering !== null) {
      clearTimeout(this.gathering)
    }
  }

  /** Starts a batch of the due documents after the gather window (a quarter of the quiet time). */
  private gather(): void {
    if (this.gathering !== null) {
      return
    }
    this.gathering = setTimeout(
      () => {
        this.gathering = null
        const due = this.due
        this.due = new Map()
        this.chain = this.chain.then(() => this.checkAll(due))
      },
      Math.min(GATHER_MS, this.delayMs / 4),
    )
    this.gathering.unref()
  }

  /** Checks the due documents: those with a running approval one by one, the rest not at all. */
  private async checkAll(due: ReadonlyMap<string, number>): Promise<void> {
    let known = new Map<string, boolean>()
    try {
      known = (await this.locks?.runningOf(due)) ?? known
    } catch {
      // The body locks could not read: every document is looked up below.
    }
    const unknown: string[] = []
    for (const documentId of due.keys()) {
      const running = known.get(documentId)
      if (running === undefined) {
        unknown.push(documentId)
      } else if (running) {
        await this.guarded(documentId, () => this.check(documentId))
      }
    }
    if (unknown.length === 0 || this.stopped) {
      return
    }
    let rows: ApprovalRow[]
    try {
      rows = await this.storage.approvals.runningOf(unknown)
    } catch (error) {
      this.logger.error('发文复核 failed', { documents: unknown.length, error: String(error) })
      return
    }
    for (const documentId of new Set(rows.map((row) => row.document_id))) {
      if (documentId !== null) {
        const running = rows.filter((row) => row.document_id === documentId)
        await this.guarded(documentId, () => this.checkRunning(documentId, running))
      }
    }
  }

  private async guarded(documentId: string, check: () => Promise<void>): Promise<void> {
    try {
      await check()
    } catch (error) {
      this.logger.error('发文复核 failed', { documentId, error: String(error) })
    }
  }

  /** Checks each running approval of the document. */
  async check(documentId: string): Promise<void> {
    const rows = await this.storage.approvals.byDocument(documentId)
    await this.checkRunning(
      documentId,
      rows.filter((row) => row.status === 'running'),
    )
  }

  /** Checks a document's running approvals against its content now. */
  private async checkRunning(documentId: string, running: readonly ApprovalRow[]): Promise<void> {
    if (running.length === 0 || this.stopped) {
      return
    }
    const content = await readContent(this.rooms, documentId)
    for (const row of running) {
      const loaded = await loadApproval(this.storage, row.id)
      if (loaded === null) {
        continue
      }
      const rule = { ignorePunctuation: this.ignorePunctuation }
      const due = systemDuties(loaded.instance, loaded.state, loaded.actions, content, rule)
      if (!due.some((duty) => duty.kind === 'reopen')) {
        continue
      }
      const result = await this.storage.unitOfWork((uow) =>
        recordAction(uow, { approvalId: row.id, now: Date.now(), content, register: null }, null, {
          kind: 'reopen',
          ...rule,
        }),
      )
      if (result.kind === 'recorded') {
        this.logger.info('发文复核: 签发 re-opened', { approvalId: row.id, documentId })
        await this.effects.committed(row.id, result.affected, result.system)
      }
    }
  }
}
