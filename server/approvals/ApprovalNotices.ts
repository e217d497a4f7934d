/**
 * Inbox items (收件箱/bell) for approvals: a stage's reminder (`remind`, recorded by the timed
 * job) and a 催办 (`urge`) reach each person who must act now on that stage and each deputy in
 * force who acts for one of them (代), with a link to the approval page. One item per person and
 * action, ever (the inbox's dedupe key holds the action id), so a job that runs again, or a
 * projection repeated, adds nothing. Sent after the commit, like the other effects.
 */
import { SYSTEM_ACTOR_ID } from '../../shared/approvals'
import type { RecordedAction } from '../../shared/approvals'
import type { InboxService } from '../services/InboxService'
import type { Logger } from '../logger'
import type { Storage } from '../storage/Storage'
import type { Deputies } from './Deputies'
import type { LoadedApproval } from './views'

/** What the notices need of the inbox. */
export type ApprovalInbox = Pick<InboxService, 'notify'>

/** At most this many people get one action's notice (a 会签 of a whole office is plenty). */
const MAX_RECIPIENTS = 500

/** Sends reminders and 催办 to the inbox. */
export class ApprovalNotices {
  constructor(
    private readonly storage: Storage,
    private readonly inbox: ApprovalInbox | undefined,
    private readonly deputies: Deputies,
    private readonly logger: Logger,
  ) {}

  /** Notifies for each applied `remind` or `urge` among `changed`. Failures are logged. */
  async after(loaded: LoadedApproval, changed: readonly RecordedAction[]): Promise<void> {
    if (this.inbox === undefined) {
      return
    }
    for (const action of changed) {
      if (action.outcome !== 'applied' || (action.type !== 'remind' && action.type !== 'urge')) {
        continue
      }
      try {
        await this.notify(loaded, action)
      } catch (error) {
        this.logger.error('approval notice failed', {
          approvalId: loaded.row.id,
          actionId: action.id,
          error: String(error),
        })
      }
    }
  }

  private async notify(loaded: LoadedApproval, action: RecordedAction): Promise<void> {
    const { state, instance, row } = loaded
    // The stage moved on since: nobody is late on it any more.
    if (state.status !== 'running' || state.currentStageId !== action.stageId) {
      return
    }
    const holders = state.pending.slice(0, MAX_RECIPIENTS)
    const deputies: string[] = []
    for (const deputy of await this.deputies.deputiesOf(holders)) {
      // Only a deputy whose delegation covers this stage (a 签发-only one does not cover a review).
      if (!holders.includes(deputy) && (await this.deputies.actsFor(row.id, deputy)) !== null) {
        deputies.push(deputy)
      }
    }
    const recipients = [...holders, ...deputies]
      .filter((user) => user !== action.actorId)
      .slice(0, MAX_RECIPIENTS)
    if (recipients.length === 0) {
      return
    }
    const stage = instance.stages.find((item) => item.id === action.stageId)
    const stageText = stage === undefined ? '' : `当前环节：${stage.name}`
    const system = action.actorId === SYSTEM_ACTOR_ID
    const actorName = system
      ? '系统'
      : ((await this.storage.users.byId(action.actorId))?.display_name ?? '')
    const opinion = action.opinion?.trim() ?? ''
    await this.inbox?.notify(
      {
        kind: 'approval',
        text: system
          ? `《${row.title}》的审批已到期提醒，请尽快处理`
          : `${actorName} 催办《${row.title}》的审批，请尽快处理`,
        excerpt: [stageText, opinion].filter((part) => part !== '').join('；'),
        link: `/approvals/${row.id}`,
        actor: { id: system ? null : action.actorId, name: actorName },
        dedupeKey: `approval:${row.id}:${action.type}:${action.id}`,
      },
      recipients,
    )
  }
}
