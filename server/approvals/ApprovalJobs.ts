/**
 * Timed work of approvals (DESIGN §5), on one node at a time through the lease table: the current
 * stage's reminder when its time comes (`remind`, once per activation: the check runs under the
 * approval's row lock, so two nodes never both record it), and the open places of deactivated
 * accounts handed to their successor (`reassign`: the one named at deactivation, else whoever now
 * holds the stage's post or role). Each tick does a bounded amount of work.
 */
import { reassignmentsFor } from '../../shared/approvals'
import { newId } from '../auth/secrets'
import type { Logger } from '../logger'
import type { LeaseStore } from '../storage/LeaseStore'
import type { Storage } from '../storage/Storage'
import type { ApprovalEffects } from './ApprovalEffects'
import { loadDirectory } from './OrgDirectory'
import { recordAction } from './recordAction'
import type { SystemRequest } from './recordAction'
import { loadApproval } from './views'

/** The lease's name in the lease table. */
export const APPROVAL_JOBS_LEASE = 'approval-jobs'
const BATCH = 100

/** The approvals' timed jobs. */
export class ApprovalJobs {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()
  private readonly holder = `node-${newId()}`
  /** Failed hand-overs already reported (approval/user), so a tick does not repeat them. */
  private readonly reported = new Set<string>()

  constructor(
    private readonly storage: Storage,
    private readonly leases: LeaseStore,
    private readonly effects: ApprovalEffects,
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running = this.running
        .then(async () => {
          await this.tick()
        })
        .catch((error: unknown) => {
          this.logger.error('approval jobs failed', { error: String(error) })
        })
    }, this.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
    await this.running
    await this.leases.release(APPROVAL_JOBS_LEASE, this.holder).catch(() => {})
  }

  /** One round, when this node holds the lease. @returns whether it ran */
  async tick(now = Date.now()): Promise<boolean> {
    const held = await this.leases.acquire(
      APPROVAL_JOBS_LEASE,
      this.holder,
      this.intervalMs * 3,
      now,
    )
    if (!held) {
      return false
    }
    for (const id of await this.storage.approvals.dueReminders(now, BATCH)) {
      await this.record(id, { kind: 'remind' }, now)
    }
    for (const { approval_id: id, user_id: userId } of await this.storage.approvals.inactiveHolders(
      BATCH,
    )) {
      await this.handOver(id, userId, now)
    }
    return true
  }

  private async handOver(approvalId: string, userId: string, now: number): Promise<void> {
    const loaded = await loadApproval(this.storage, approvalId)
    if (loaded === null) {
      return
    }
    const named = await this.storage.approvals.namedSuccessor(userId)
    const dir = await loadDirectory(this.storage, {
      unitId: loaded.instance.initiatorUnitId,
      userIds: named === null ? [] : [named],
    })
    const result = reassignmentsFor(loaded.instance, loaded.state, userId, {
      ...dir,
      successorOf: (id) => (id === userId ? named : null),
    })
    if (!result.ok) {
      const key = `${approvalId}/${userId}`
      if (!this.reported.has(key)) {
        this.reported.add(key)
        await this.storage.unitOfWork(async (uow) => {
          uow.audit({
            actor: { id: null, name: 'system' },
            action: 'approval.reassign_failed',
            target: approvalId,
            detail: { userId, stageId: result.error.stageId ?? null, reason: result.error.code },
          })
        })
        this.logger.warn('approval: no successor for a deactivated assignee', {
          approvalId,
          userId,
          stageId: result.error.stageId ?? null,
        })
      }
      return
    }
    for (const reassignment of result.reassignments) {
      await this.record(approvalId, { kind: 'reassign', ...reassignment }, now)
    }
  }

  private async record(approvalId: string, request: SystemRequest, now: number): Promise<void> {
    const result = await this.storage.unitOfWork((uow) =>
      recordAction(uow, { approvalId, now, content: null, register: null }, null, request),
    )
    if (result.kind === 'recorded') {
      await this.effects.committed(approvalId, result.affected, result.system)
    }
  }
}
