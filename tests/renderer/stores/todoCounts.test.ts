import { describe, expect, test } from 'vitest'
import {
  badgeText,
  pendingRise,
  readCounts,
  sameCounts,
} from '../../../renderer/src/stores/todoCounts'

describe('待办 counts from the inbox room', () => {
  test('the four counts are read from the room map', () => {
    expect(readCounts({ pending: 3, initiated: 1, done: 7, cc: 0 })).toEqual({
      pending: 3,
      initiated: 1,
      done: 7,
      cc: 0,
    })
  })

  test('an empty or malformed map gives no counts rather than wrong ones', () => {
    expect(readCounts({})).toBeNull()
    expect(readCounts(null)).toBeNull()
    expect(readCounts({ pending: -1, initiated: 0, done: 0, cc: 0 })).toBeNull()
    expect(readCounts({ pending: '3', initiated: 0, done: 0, cc: 0 })).toBeNull()
    expect(readCounts({ pending: 1.5, initiated: 0, done: 0, cc: 0 })).toBeNull()
  })

  test('a rise of 待我审批 is told only once counts were known before', () => {
    const before = { pending: 2, initiated: 0, done: 0, cc: 0 }
    expect(pendingRise(null, before)).toBe(0)
    expect(pendingRise(before, { ...before, pending: 4 })).toBe(2)
    expect(pendingRise(before, { ...before, pending: 1 })).toBe(0)
    expect(pendingRise(before, { ...before, done: 9 })).toBe(0)
  })

  test('counts compare by value', () => {
    const a = { pending: 1, initiated: 2, done: 3, cc: 4 }
    expect(sameCounts(a, { ...a })).toBe(true)
    expect(sameCounts(a, { ...a, cc: 5 })).toBe(false)
    expect(sameCounts(null, null)).toBe(true)
    expect(sameCounts(a, null)).toBe(false)
  })

  test('the badge hides zero and caps at 99+', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(100)).toBe('99+')
  })
})
