import { describe, expect, test } from 'vitest'
import type { DelegationView } from '../../../../shared/http/routes/approvalSetup'
import {
  delegationState,
  lastDayOf,
  orderDelegations,
  untilOfDate,
} from '../../../../renderer/src/features/todos/delegationRows'

function delegation(id: string, until: string, revokedAt: string | null = null): DelegationView {
  return {
    id,
    fromUserId: 'lead',
    fromName: '李局长',
    toUserId: 'sec',
    toName: '王秘书',
    scope: 'signoff',
    until,
    createdAt: '2026-12-01T00:00:00.000Z',
    revokedAt,
  }
}

const NOW = Date.parse('2026-12-07T06:00:00.000Z')

describe('delegations', () => {
  test('a delegation is in force until its end, unless revoked', () => {
    expect(delegationState(delegation('a', '2026-12-10T00:00:00.000Z'), NOW)).toBe('active')
    expect(delegationState(delegation('b', '2026-12-07T06:00:00.000Z'), NOW)).toBe('expired')
    expect(
      delegationState(delegation('c', '2026-12-10T00:00:00.000Z', '2026-12-02T00:00:00.000Z'), NOW),
    ).toBe('revoked')
  })

  test('the chosen last day is included: until is the start of the next local day', () => {
    const until = untilOfDate('2026-12-09', NOW)
    expect(until).toBe(new Date(2026, 11, 10).toISOString())
    expect(until).toMatch(/\.\d{3}Z$/)
    expect(lastDayOf(until ?? '')).toBe('2026-12-09')
  })

  test('an impossible or past date gives no until', () => {
    expect(untilOfDate('2026-02-30', NOW)).toBeNull()
    expect(untilOfDate('2026-12-01', NOW)).toBeNull()
    expect(untilOfDate('', NOW)).toBeNull()
  })

  test('delegations in force come first, then the latest ending', () => {
    const rows = [
      delegation('old', '2026-11-01T00:00:00.000Z'),
      delegation('soon', '2026-12-08T00:00:00.000Z'),
      delegation('later', '2026-12-20T00:00:00.000Z'),
    ]
    expect(orderDelegations(rows, NOW).map((d) => d.id)).toEqual(['later', 'soon', 'old'])
  })
})
