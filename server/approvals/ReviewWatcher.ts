/**
 * 发文复核: when a document with a running, signed-off approval is stored, its content is compared
 * with what the 签发 bound to (the engine's `systemDuties`: on the substantive digest, so
 * punctuation and whitespace do not count, unless the deployment turned that rule off with
 * QILU_REVIEW_IGNORE_PUNCTUATION=0, when any change of the digest counts). A change records a system `reopen`: the
 * 签发 goes back to its original signer's 待办 with ⚠. Work is debounced per document and bounded
 * (at most MAX_WAITING documents wait; one check runs at a time).
 */
import { systemDuties } from '../../shared/approvals'
import type { Logger } from '../logger'
import type { RoomPort } from '../relay/ports'
import type { Storage } from '../storage/Storage'
import type { ApprovalEffects } from './ApprovalEffects'
import { readContent } from './content'
import { recordAction } from './recordAction'
import { loadApproval } from './views'

const MAX_WAITING = 10_000

/** How the watcher judges. */
export interface ReviewOptions {
  /** Quiet time after a store before the check (ms; 1000 by default). */
  readonly delayMs?: number
  /** Punctuation and whitespace only do not count (true by default). */
  readonly ignorePunctuation?: boolean
}

/** Watches stored documents for changes after 签发. */
export class ReviewWatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>()
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
      clearTimeout(waiting)
    } else if (this.timers.size >= MAX_WAITING) {
      this.logger.warn('发文复核 queue full; a stored document is not re-checked now', {
        documentId,
      })
      return
    }
    const timer = setTimeout(() => {
      this.timers.delete(documentId)
      this.chain = this.chain
        .then(() => this.check(documentId))
        .catch((error: unknown) => {
          this.logger.error('发文复核 failed', { documentId, error: String(error) })
        })
    }, this.delayMs)
    timer.unref()
    this.timers.set(documentId, timer)
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers.values()) {
      clearTimeout(timer)
    }
    this.timers.clear()
  }

  /** Checks each running approval of the document. */
  async check(documentId: string): Promise<void> {
    const rows = await this.storage.approvals.byDocument(documentId)
    const running = rows.filter((row) => row.status === 'running')
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
