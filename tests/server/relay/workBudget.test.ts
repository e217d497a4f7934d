import { expect, test } from 'vitest'
import { WorkBudget } from '../../../server/relay/WorkBudget'

test('one costly message is handled; then the connection waits until the debt is repaid', () => {
  const budget = new WorkBudget(2000, 250)
  expect(budget.allows(0)).toBe(true)
  budget.spend(3000)
  expect(budget.allows(1000)).toBe(false)
  // 1,000 ms of debt at 250 ms a second: clear 4 s after the costly message.
  expect(budget.allows(3900)).toBe(false)
  expect(budget.allows(4100)).toBe(true)
})

test('a steady stream of costly messages is stopped, a steady light one never', () => {
  const heavy = new WorkBudget(2000, 250)
  let now = 0
  let handled = 0
  while (heavy.allows(now) && handled < 1000) {
    heavy.spend(30)
    now += 30
    handled++
  }
  expect(handled).toBeLessThan(100)
  const light = new WorkBudget(2000, 250)
  for (let i = 0; i < 10_000; i++) {
    expect(light.allows(i * 10)).toBe(true)
    light.spend(1)
  }
})
