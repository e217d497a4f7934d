/**
 * What an approval command does outside the database once it has committed: the `approval:<id>`
 * room gets the new view, each affected user's `inbox:<userId>` room its 待办 counts, and a
 * document the flow's fields in its meta: `signers` (签发), `documentNumber` (编号), `printDate` (分发);
 * a reminder or 催办 becomes an inbox item of whoever must act (ApprovalNotices). Failures
 * are logged: the database is the truth, and the next command projects again.
 */
import { SYSTEM_ACTOR_ID, shanghaiDateText, signoffRecords } from '../../shared/approvals'
import type { RecordedAction } from '../../shared/approvals'
import { META_ROOT } from '../../shared/gongwen/yBody'
import { docRoom } from '../../shared/protocol/rooms'
import type { ApprovalView, TodoCounts } from '../../shared/http/routes/approvals'
import type { Logger } from '../logger'
import type { ReadersChange, RoomPort } from '../relay/ports'
import type { Storage } from '../storage/Storage'
import type { ApprovalBodyLocks } from './ApprovalBodyLocks'
import type { Deputies } from './Deputies'
import type { ApprovalNotices } from './ApprovalNotices'
import type { LoadedApproval } from './views'
import { loadApproval, viewOf } from './views'

/** How long counts writes of one user are coalesced (ms). */
const COUNTS_COALESCE_MS = 50

/** The map of an `approval:<id>` room holding the view (key `view`, an ApprovalView). */
export const APPROVAL_ROOM_MAP = 'approval'
/** The map of an `inbox:<userId>` room holding the 待办 counts (pending, initiated, done, cc). */
export const INBOX_COUNTS_MAP = 'counts'

/** An approval whose state was projected. */
export interface ProjectedApproval {
  readonly approvalId: string
  /** Its document, when it approves one. */
  readonly documentId: string | null
}

/** Projects committed approval state into rooms. */
export class ApprovalEffects {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomPort,
    private readonly logger: Logger,
    private readonly locks: ApprovalBodyLocks,
    private readonly deputies: Deputies,
    /** Re-checks sockets of a room whose readers may have changed (deputies lose theirs). */
    private readonly readersChanged: (target: ReadersChange) => void = () => {},
    /** Inbox items of reminders and 催办. */
    private readonly notices?: ApprovalNotices,
    /** Hears each approval projected, with its document (a meeting's minutes follow theirs). */
    private readonly projected: (approval: ProjectedApproval) => void = () => {},
    /** Closes the sockets of a document the flow's 归档 archived (they reopen read-only). */
    readonly documentArchived: (documentId: string) => void = () => {},
  ) {}

  /** The projection of each approval in flight, so they run in commit order. */
  private readonly queues = new Map<string, Promise<void>>()
  /** Counts writes waiting, per user. */
  private readonly countsDue = new Map<string, Promise<void>>()

  /** @returns a user's 待办 counts; `pending` counts what they hold as a deputy (代) too. */
  async counts(userId: string): Promise<TodoCounts> {
    const [counts, leaders] = await Promise.all([
      this.storage.approvals.counts(userId),
      this.deputies.leadersOf(userId),
    ])
    const delegated = leaders.all.length > 0 || leaders.signoff.length > 0
    return {
      pending: delegated
        ? await this.storage.approvals.pendingWithDelegated(userId, leaders)
        : (counts.pending ?? 0),
      initiated: counts.initiated ?? 0,
      done: counts.done ?? 0,
      cc: counts.cc ?? 0,
    }
  }

  /**
   * After a command: the approval room, the counts of `affected`, and the document's meta when
   * `changed` holds a 编号 or a 签发. Commands on one approval project in commit order (each
   * reads the committed state after the previous projection finished).
   * @returns the view as committed, or null when the approval is gone
   */
  committed(
    approvalId: string,
    affected: readonly string[],
    changed: readonly RecordedAction[],
  ): Promise<ApprovalView | null> {
    const previous = this.queues.get(approvalId) ?? Promise.resolve()
    const next = previous.then(() => this.project(approvalId, affected, changed))
    const settled = next.then(
      () => undefined,
      () => undefined,
    )
    this.queues.set(approvalId, settled)
    void settled.then(() => {
      if (this.queues.get(approvalId) === settled) {
        this.queues.delete(approvalId)
      }
    })
    return next
  }

  /** Waits for the projections in flight (before the relay stops). */
  async drain(): Promise<void> {
    while (this.queues.size > 0 || this.countsDue.size > 0) {
      await Promise.all([...this.queues.values(), ...this.countsDue.values()])
    }
  }

  /** Brings the document policy's body rule up to date after a commit on `instance`. */
  async refreshLocks(instance: LoadedApproval['instance']): Promise<void> {
    if (instance.subject.type === 'document') {
      await this.locks.refresh(instance.subject.documentId)
    }
  }

  private async project(
    approvalId: string,
    affected: readonly string[],
    changed: readonly RecordedAction[],
  ): Promise<ApprovalView | null> {
    const loaded = await loadApproval(this.storage, approvalId)
    if (loaded === null) {
      return null
    }
    await this.refreshLocks(loaded.instance)
    const view = await viewOf(this.storage, loaded)
    // The deputies of those whose 待办 changed see the leaders' pending items (代) in theirs.
    const deputies = await this.deputies.deputiesOf(affected.slice(0, 500)).catch((error) => {
      this.logger.error('deputies of a projection failed', { approvalId, error: String(error) })
      return []
    })
    const users = [...new Set([...affected.slice(0, 500), ...deputies.slice(0, 500)])]
    // A deputy of a leader who no longer must act reads no more (unless a participant), nor the
    // document (unless a member).
    this.readersChanged({ room: `approval:${approvalId}` })
    if (loaded.instance.subject.type === 'document') {
      this.readersChanged({ room: docRoom(loaded.instance.subject.documentId) })
    }
    try {
      this.projected({ approvalId, documentId: loaded.row.document_id })
    } catch (error) {
      this.logger.error('approval listener failed', { approvalId, error: String(error) })
    }
    await Promise.all([
      this.publishView(loaded, view),
      ...users.map((user) => this.publishCounts(user)),
      this.fillDocument(loaded, changed),
      this.notices?.after(loaded, changed),
    ])
    return view
  }

  private async publishView(loaded: LoadedApproval, view: ApprovalView): Promise<void> {
    try {
      await this.rooms.publish(`approval:${loaded.row.id}`, (doc) => {
        doc.getMap(APPROVAL_ROOM_MAP).set('view', view)
      })
    } catch (error) {
      this.logger.error('approval projection failed', {
        approvalId: loaded.row.id,
        error: String(error),
      })
    }
  }

  /**
   * Publishes a user's counts into their inbox room, coalescing the commits of COUNTS_COALESCE_MS
   * into one write (a busy leader's many approvals), well within the 1 s a second browser waits.
   */
  publishCounts(userId: string): Promise<void> {
    const due = this.countsDue.get(userId)
    if (due !== undefined) {
      return due
    }
    const run = new Promise<void>((resolve) => setTimeout(resolve, COUNTS_COALESCE_MS)).then(
      async () => {
        // Read after leaving the queue: a commit from now on schedules a write of its own.
        this.countsDue.delete(userId)
        await this.writeCounts(userId)
      },
    )
    this.countsDue.set(userId, run)
    return run
  }

  private async writeCounts(userId: string): Promise<void> {
    try {
      const counts = await this.counts(userId)
      await this.rooms.publish(`inbox:${userId}`, (doc) => {
        const map = doc.getMap<number>(INBOX_COUNTS_MAP)
        for (const [box, count] of Object.entries(counts)) {
          if (map.get(box) !== count) {
            map.set(box, count)
          }
        }
      })
    } catch (error) {
      this.logger.error('todo counts projection failed', { userId, error: String(error) })
    }
  }

  /** Writes the flow-filled meta keys the committed actions decide. */
  private async fillDocument(
    loaded: LoadedApproval,
    changed: readonly RecordedAction[],
  ): Promise<void> {
    const subject = loaded.instance.subject
    if (subject.type !== 'document') {
      return
    }
    const number = changed.find(
      (action) => action.type === 'number' && action.actorId === SYSTEM_ACTOR_ID,
    )
    const signed = changed.some(
      (action) =>
        (action.type === 'signoff' || action.type === 'reopen' || action.type === 'withdraw') &&
        action.outcome === 'applied',
    )
    // 分发 done: the 印发日期 is the day of distribution.
    const distributed = changed.find(
      (action) =>
        action.type === 'approve' &&
        action.outcome === 'applied' &&
        loaded.state.stages.some(
          (stage) =>
            stage.id === action.stageId && stage.kind === 'distribute' && stage.status === 'done',
        ),
    )
    if (number === undefined && !signed && distributed === undefined) {
      return
    }
    let signers: string[] | null = null
    if (signed) {
      const records = signoffRecords(loaded.state).filter(
        (record) => !loaded.state.staleActionIds.includes(record.actionId),
      )
      const users = await this.storage.org.usersByIds(records.map((record) => record.signerId))
      const names = new Map(users.map((user) => [user.id, user.display_name]))
      signers = [...new Set(records.map((record) => names.get(record.signerId) ?? ''))].filter(
        (name) => name !== '',
      )
    }
    try {
      await this.rooms.apply(docRoom(subject.documentId), (doc) => {
        const meta = doc.getMap<unknown>(META_ROOT)
        if (number?.type === 'number') {
          meta.set('documentNumber', number.target.documentNumber)
        }
        if (signers !== null) {
          meta.set('signers', signers)
        }
        if (distributed !== undefined) {
          meta.set('printDate', shanghaiDateText(distributed.receivedAt ?? distributed.createdAt))
        }
      })
    } catch (error) {
      this.logger.error('document meta from the flow failed', {
        approvalId: loaded.row.id,
        error: String(error),
      })
    }
  }
}
