/**
 * Delegations (代) as the delegations screen shows them: their state at a time, and the `until`
 * of a chosen end date (the whole day included, in the user's time zone).
 */
import type { DelegationView } from '../../../../shared/http/routes/approvalSetup'

/** The state of a delegation. */
export type DelegationState =
  /** 生效中: not revoked and not past `until`. */
  | 'active'
  /** 已过期: `until` has passed. */
  | 'expired'
  /** 已撤销: the leader revoked it. */
  | 'revoked'

/** @returns the state of a delegation at `now` (ms). */
export function delegationState(delegation: DelegationView, now: number): DelegationState {
  if (delegation.revokedAt !== null) {
    return 'revoked'
  }
  return Date.parse(delegation.until) <= now ? 'expired' : 'active'
}

/**
 * @param date the chosen last day, `YYYY-MM-DD`
 * @returns the ISO UTC time (with milliseconds) just after that day ends locally, or null when
 *   the date is not a real one or that moment is not after `now`
 */
export function untilOfDate(date: string, now: number): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (match === null) {
    return null
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])]
  const start = new Date(year, month, day)
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== day) {
    return null
  }
  const end = new Date(year, month, day + 1).getTime()
  return end > now ? new Date(end).toISOString() : null
}

/** @returns active ones first, then by `until`, latest first. */
export function orderDelegations(
  delegations: readonly DelegationView[],
  now: number,
): DelegationView[] {
  const rank = (d: DelegationView): number => (delegationState(d, now) === 'active' ? 0 : 1)
  return [...delegations].sort(
    (a, b) => rank(a) - rank(b) || Date.parse(b.until) - Date.parse(a.until),
  )
}

/** @returns the last day a delegation covers, `YYYY-MM-DD` in the user's time zone (the day `until` ends). */
export function lastDayOf(until: string): string {
  const last = new Date(Date.parse(until) - 1)
  if (Number.isNaN(last.getTime())) {
    return ''
  }
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${last.getFullYear()}-${pad(last.getMonth() + 1)}-${pad(last.getDate())}`
}
