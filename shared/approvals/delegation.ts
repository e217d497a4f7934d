/**
 * Delegations (代签/代批): a leader lets a deputy act for them until a time. Modelled as data the
 * server passes to `judge` (the ones made by `from`, not revoked); `reduce` trusts recorded
 * `onBehalfOf`, since the server checked it when the action arrived.
 *
 * @example
 *   delegationCovers([{ from: 'lead', to: 'dep', scope: 'signoff', until: '2026-12-31T16:00:00.000Z' }],
 *     { leader: 'lead', deputy: 'dep', type: 'signoff', at: '2026-12-07T02:21:26.000Z' }) // true
 */
import type { ActionType } from './actions'

/** What a deputy may do for the leader. */
export type DelegationScope =
  /** 签发 only (the usual 代签). */
  | 'signoff'
  /** Every action the leader could take on approvals. */
  | 'all'

/** A delegation in force until `until` (exclusive), from `since` (inclusive) when given. */
export interface Delegation {
  /** The leader who delegates. */
  readonly from: string
  /** The deputy. */
  readonly to: string
  readonly scope: DelegationScope
  /** ISO UTC ms. */
  readonly until: string
  /** ISO UTC ms; absent: from its creation. */
  readonly since?: string
}

/** The question of one delegated action. */
export interface DelegatedAct {
  readonly leader: string
  readonly deputy: string
  readonly type: ActionType
  /** When the action is judged: the server's receipt time, ISO UTC ms (a device clock can lie). */
  readonly at: string
}

/** @returns whether some delegation lets `deputy` take an action of `type` for `leader` at `at`. */
export function delegationCovers(delegations: readonly Delegation[], act: DelegatedAct): boolean {
  const at = Date.parse(act.at)
  return delegations.some(
    (delegation) =>
      delegation.from === act.leader &&
      delegation.to === act.deputy &&
      (delegation.scope === 'all' || act.type === 'signoff') &&
      at < Date.parse(delegation.until) &&
      (delegation.since === undefined || at >= Date.parse(delegation.since)),
  )
}
