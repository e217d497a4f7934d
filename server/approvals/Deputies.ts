/**
 * Deputies (代): who may read an approval and find it in their 待办 because a leader who must act
 * now delegated to them. Computed at read time from the delegations in force (DelegationLookup)
 * and the leaders' `pending` rows, so a delegation granted, revoked or ended after the approval
 * reached its stage counts at once; nothing about deputies is stored with the approval.
 *
 * A `signoff` delegation covers a leader's 签发 stage; `all` covers any stage.
 */
import type { Delegation } from '../../shared/approvals'
import type { Storage } from '../storage/Storage'
import type { DelegatedLeaders } from '../storage/approvals/ApprovalStore'
import type { DelegationLookup } from './ports'

/** Reads deputies' access through the leaders they act for. */
export class Deputies {
  constructor(
    private readonly storage: Storage,
    private readonly delegations: DelegationLookup,
    private readonly now: () => number = Date.now,
  ) {}

  /** @returns the leaders `deputyId` acts for now, by scope (`all` wins over `signoff`). */
  async leadersOf(deputyId: string): Promise<DelegatedLeaders> {
    const now = this.now()
    const inForce = (await this.delegations.givenTo(deputyId)).filter((d) =>
      this.inForce(d, deputyId, now),
    )
    const all = new Set(inForce.filter((d) => d.scope === 'all').map((d) => d.from))
    const signoff = new Set(
      inForce.filter((d) => d.scope === 'signoff' && !all.has(d.from)).map((d) => d.from),
    )
    return { all: [...all], signoff: [...signoff] }
  }

  /**
   * @returns the leader `userId` may act for on the approval's current stage (the first one
   *   covered), or null when they act for nobody there
   */
  async actsFor(approvalId: string, userId: string): Promise<string | null> {
    const leaders = await this.leadersOf(userId)
    if (leaders.all.length === 0 && leaders.signoff.length === 0) {
      return null
    }
    const pending = await this.storage.approvals.pendingOf(approvalId, [
      ...leaders.all,
      ...leaders.signoff,
    ])
    const covered = pending.find((row) => covers(leaders, row.user_id, row.stage_kind))
    return covered?.user_id ?? null
  }

  /** @returns whether `userId` may read the approval: a participant, or a deputy of one who must act now. */
  async mayRead(approvalId: string, userId: string): Promise<boolean> {
    return (
      (await this.storage.approvals.isParticipant(approvalId, userId)) ||
      (await this.actsFor(approvalId, userId)) !== null
    )
  }

  /** @returns the deputies in force of these leaders (empty when the set-up cannot say). */
  async deputiesOf(leaderIds: readonly string[]): Promise<readonly string[]> {
    if (leaderIds.length === 0 || this.delegations.deputiesOf === undefined) {
      return []
    }
    return this.delegations.deputiesOf(leaderIds)
  }

  private inForce(delegation: Delegation, deputyId: string, now: number): boolean {
    return (
      delegation.to === deputyId &&
      delegation.from !== deputyId &&
      now < Date.parse(delegation.until) &&
      (delegation.since === undefined || now >= Date.parse(delegation.since))
    )
  }
}

/** @returns whether a deputy with `leaders` covers `leader`'s pending stage of `kind`. */
export function covers(leaders: DelegatedLeaders, leader: string, kind: string | null): boolean {
  return leaders.all.includes(leader) || (leaders.signoff.includes(leader) && kind === 'signoff')
}
