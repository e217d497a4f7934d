/**
 * The approvals module as the HTTP edge and the relay see it: starting and reading (service),
 * acting (actions), the 待办 centre (todos), batches and the evidence file, with the SM2 worker
 * pool and the 发文复核 watcher they share.
 *
 * @example
 *   const approvals = new Approvals({ storage, setup, rooms: relay.rooms, audit, logger, relayKey })
 *   approvals.follow(relay.rooms) // 发文复核 on stored documents
 */
import { EVIDENCE_FORMAT, evidenceSigningBytes } from '../../shared/approvals'
import type { Evidence, EvidenceAction, EvidenceSigned } from '../../shared/approvals'
import type { Sm2KeyPair } from '../../shared/crypto/sm2'
import { sm2Sign } from '../../shared/crypto/sm2'
import type { AuditService } from '../audit/AuditService'
import { DomainError, notFound } from '../domain/errors'
import type { Logger } from '../logger'
import type { ReadersChange, RoomEvents, RoomPort } from '../relay/ports'
import type { ProjectedApproval } from './ApprovalEffects'
import type { Storage } from '../storage/Storage'
import { ApprovalActions } from './ApprovalActions'
import { ApprovalJobs } from './ApprovalJobs'
import type { LeaseStore } from '../storage/LeaseStore'
import { ApprovalBodyLocks } from './ApprovalBodyLocks'
import type { SignedAction } from './ApprovalActions'
import { ApprovalEffects } from './ApprovalEffects'
import { ApprovalService } from './ApprovalService'
import type { Caller } from './ApprovalService'
import type { ApprovalSetup } from './ports'
import { ReviewWatcher } from './ReviewWatcher'
import { Sm2VerifyPool } from './Sm2VerifyPool'
import { TodoService } from './TodoService'
import { Deputies } from './Deputies'
import { DocumentReaders } from './DocumentReaders'
import { ApprovalNotices } from './ApprovalNotices'
import type { ApprovalInbox } from './ApprovalNotices'
import type { RoomName } from '../../shared/protocol/rooms'
import { loadApproval } from './views'

/** What the approvals module needs. */
export interface ApprovalsDeps {
  readonly storage: Storage
  readonly setup: ApprovalSetup
  readonly rooms: RoomPort
  readonly audit: AuditService
  readonly logger: Logger
  /** Signs evidence files. */
  readonly relayKey: Sm2KeyPair
  /** Debounce of 发文复核 after a document is stored (ms). */
  readonly reviewDelayMs?: number
  /**
   * 发文复核: a punctuation- or whitespace-only change leaves the 签发 in place (true, the
   * default); false: any change of the content digest re-opens it (QILU_REVIEW_IGNORE_PUNCTUATION).
   */
  readonly reviewIgnorePunctuation?: boolean
  /** The lease table (timed jobs run on one node at a time). */
  readonly leases: LeaseStore
  /** How often the timed jobs run (ms; 30 s by default). */
  readonly jobIntervalMs?: number
  /** Where reminders and 催办 become inbox items (the bell); none without it. */
  readonly inbox?: ApprovalInbox
  /** Re-checks `approval:` sockets whose readers may have changed (the relay's control). */
  readonly readersChanged?: (target: ReadersChange) => void
  /** Hears each approval projected (a meeting's minutes show their approval's status). */
  readonly projected?: (approval: ProjectedApproval) => void
  /** Closes the sockets of a document the flow's 归档 archived (the relay's control). */
  readonly documentArchived?: (documentId: string) => void
}

/** One result of a batch. */
export interface BatchOutcome {
  readonly approvalId: string
  readonly outcome?: 'applied' | 'superseded'
  readonly error?: unknown
}

/** The approvals module. */
export class Approvals {
  readonly service: ApprovalService
  readonly actions: ApprovalActions
  readonly todos: TodoService
  readonly effects: ApprovalEffects
  /** Who reads an approval as a deputy (代) of a leader who must act now. */
  readonly deputies: Deputies
  /** Who reads a document through a running approval (assignees now, their deputies). */
  readonly documentReaders: DocumentReaders
  /** The document policy's body rule while approvals run. */
  readonly bodyLocks: ApprovalBodyLocks
  private readonly verifier = new Sm2VerifyPool(2)
  private readonly review: ReviewWatcher
  /** Reminders and hand-overs of deactivated assignees. */
  readonly jobs: ApprovalJobs

  constructor(private readonly deps: ApprovalsDeps) {
    const { storage, setup, rooms, audit, logger } = deps
    this.bodyLocks = new ApprovalBodyLocks(storage, logger)
    this.deputies = new Deputies(storage, setup.delegations)
    this.documentReaders = new DocumentReaders(storage, this.deputies, audit)
    this.effects = new ApprovalEffects(
      storage,
      rooms,
      logger,
      this.bodyLocks,
      this.deputies,
      deps.readersChanged,
      new ApprovalNotices(storage, deps.inbox, this.deputies, logger),
      deps.projected,
      deps.documentArchived,
    )
    this.service = new ApprovalService(
      storage,
      setup,
      rooms,
      this.effects,
      audit,
      logger,
      this.deputies,
      this.documentReaders,
    )
    this.actions = new ApprovalActions(
      storage,
      setup,
      rooms,
      this.verifier,
      this.effects,
      audit,
      logger,
    )
    this.todos = new TodoService(storage, this.effects, this.deputies)
    this.jobs = new ApprovalJobs(storage, deps.leases, this.effects, logger, deps.jobIntervalMs)
    this.review = new ReviewWatcher(
      storage,
      rooms,
      this.effects,
      logger,
      {
        ...(deps.reviewDelayMs === undefined ? {} : { delayMs: deps.reviewDelayMs }),
        ignorePunctuation: deps.reviewIgnorePunctuation ?? true,
      },
      this.bodyLocks,
    )
  }

  /** Re-checks signed-off documents when their content is stored (发文复核); starts the timed jobs. */
  follow(events: RoomEvents): void {
    events.onDocumentStored(({ documentId }) => this.review.schedule(documentId))
    this.jobs.start()
  }

  /**
   * 批量审批: each item judged as one action; only review and countersign stages (never 签发).
   * @returns each item's outcome or error, in order
   */
  async batch(caller: Caller, items: readonly SignedAction[]): Promise<BatchOutcome[]> {
    const results: BatchOutcome[] = []
    for (const item of items) {
      const approvalId = item.action.approvalId
      try {
        const answer = await this.actions.act(caller, approvalId, item, { batch: true })
        results.push({ approvalId, outcome: answer.outcome })
      } catch (error) {
        results.push({ approvalId, error })
      }
    }
    return results
  }

  /**
   * The relay's ProjectionReaders port: `approval:<id>` rooms for participants and deputies of a
   * leader who must act now; `doc:<id>` rooms (asked for non-members only) for whoever must act
   * now on a running approval of the document, or acts for them (代), read only (false for other
   * kinds of rooms).
   */
  async mayRead(room: RoomName, userId: string): Promise<boolean> {
    if (room.kind === 'doc') {
      return this.documentReaders.mayRead(room.id, userId)
    }
    return room.kind === 'approval' && this.deputies.mayRead(room.id, userId)
  }

  /**
   * A delegation to `deputyId` was made or revoked (approval set-up calls this): their 待办
   * counts are published again, and their `approval:` sockets re-checked. Failures are logged
   * (the list is computed at read time anyway).
   */
  async delegationsChanged(deputyId: string): Promise<void> {
    this.deps.readersChanged?.({ kind: 'approval', userId: deputyId })
    this.deps.readersChanged?.({ kind: 'doc', userId: deputyId })
    await this.effects.publishCounts(deputyId)
  }

  /** `GET /api/v1/approvals/<id>/evidence`: participants and deputies acting now only. */
  async evidence(userId: string, id: string): Promise<Evidence> {
    const loaded = await loadApproval(this.deps.storage, id)
    if (loaded === null || !(await this.deputies.mayRead(id, userId))) {
      throw notFound('审批')
    }
    const deviceIds = [
      ...new Set(loaded.rows.map((row) => row.device_id).filter((d) => d !== null)),
    ]
    const devices = await Promise.all(
      deviceIds.map((deviceId) => this.deps.setup.devices.device(deviceId)),
    )
    const keys = new Map(devices.filter((d) => d !== null).map((d) => [d.id, d.publicKey]))
    const actions: EvidenceAction[] = loaded.rows.map((row, index) => {
      const key = row.device_id === null ? undefined : keys.get(row.device_id)
      if (row.device_id !== null && key === undefined) {
        throw new DomainError('internal', `设备 ${row.device_id} 的公钥缺失 (device key missing)`)
      }
      return {
        seq: index + 1,
        action: loaded.actions[index] as EvidenceAction['action'],
        ...(row.device_id !== null ? { deviceId: row.device_id } : {}),
        ...(key !== undefined ? { devicePublicKey: key } : {}),
        ...(row.signature !== null ? { signature: row.signature } : {}),
        ...(row.content !== null ? { content: row.content } : {}),
      }
    })
    const signed: EvidenceSigned = {
      format: EVIDENCE_FORMAT,
      approvalId: id,
      title: loaded.row.title,
      exportedAt: new Date().toISOString(),
      instance: loaded.instance as EvidenceSigned['instance'],
      actions,
      relayPublicKey: this.deps.relayKey.publicKey,
    }
    const relaySignature = sm2Sign(
      evidenceSigningBytes(signed),
      this.deps.relayKey.privateKey,
      this.deps.relayKey.publicKey,
    )
    return { signed, relaySignature }
  }

  /** Stops the worker pool and the watcher's timers. */
  async close(): Promise<void> {
    this.review.stop()
    await this.jobs.stop()
    await this.effects.drain()
    await this.verifier.close()
  }
}
