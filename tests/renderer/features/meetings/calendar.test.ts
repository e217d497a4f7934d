import { describe, expect, test } from 'vitest'
import {
  dayStartMs,
  itemsByDay,
  layoutDay,
  shanghaiDate,
  shanghaiIso,
  shiftAnchor,
  viewRange,
} from '../../../../renderer/src/features/meetings/calendar'
import type { CalendarItem } from '../../../../renderer/src/features/meetings/calendar'

function item(id: string, start: string, end: string, allDay = false): CalendarItem {
  return { meetingId: id, title: id, start, end, roomId: null, allDay }
}

describe('calendar in Asia/Shanghai', () => {
  test('a Shanghai date starts at 16:00 UTC the day before, whatever the device zone', () => {
    expect(dayStartMs('2026-12-08')).toBe(Date.parse('2026-12-07T16:00:00Z'))
    // 23:30 UTC on the 7th is already the 8th in Shanghai.
    expect(shanghaiDate(Date.parse('2026-12-07T23:30:00Z'))).toBe('2026-12-08')
    expect(shanghaiIso(Date.parse('2026-12-07T23:30:00Z'))).toBe('2026-12-08T07:30:00+08:00')
  })

  test('a week runs Monday to Sunday, a day is itself, a month is whole weeks', () => {
    const week = viewRange('week', '2026-12-10') // a Thursday
    expect(week.days[0]).toBe('2026-12-07')
    expect(week.days.at(-1)).toBe('2026-12-13')
    expect(week.to - week.from).toBe(7 * 86_400_000)
    expect(viewRange('day', '2026-12-10').days).toEqual(['2026-12-10'])
    const month = viewRange('month', '2026-02-14') // Feb 2026: Sun 1st … Sat 28th
    expect(month.days[0]).toBe('2026-01-26')
    expect(month.days.at(-1)).toBe('2026-03-01')
    expect(month.days.length % 7).toBe(0)
    expect(month.days).toContain('2026-02-28')
  })

  test('moving by a month keeps a valid date across year ends', () => {
    expect(shiftAnchor('month', '2026-12-31', 1)).toBe('2027-01-01')
    expect(shiftAnchor('month', '2026-01-31', -1)).toBe('2025-12-01')
    expect(shiftAnchor('week', '2026-12-28', 1)).toBe('2027-01-04')
    expect(shiftAnchor('day', '2026-12-31', 1)).toBe('2027-01-01')
  })

  test('overlapping meetings sit side by side; a later one reuses a free lane', () => {
    const items = [
      item('a', '2026-12-08T09:00:00+08:00', '2026-12-08T10:00:00+08:00'),
      item('b', '2026-12-08T09:30:00+08:00', '2026-12-08T11:00:00+08:00'),
      item('c', '2026-12-08T10:00:00+08:00', '2026-12-08T10:30:00+08:00'),
      item('d', '2026-12-08T14:00:00+08:00', '2026-12-08T15:00:00+08:00'),
      item('all', '2026-12-08T00:00:00+08:00', '2026-12-09T00:00:00+08:00', true),
    ]
    const day = layoutDay(items, '2026-12-08')
    expect(day.allDay.map((i) => i.meetingId)).toEqual(['all'])
    const by = new Map(day.timed.map((block) => [block.item.meetingId, block]))
    expect(by.get('a')).toMatchObject({ top: 540, height: 60, lane: 0, lanes: 2 })
    expect(by.get('b')).toMatchObject({ lane: 1, lanes: 2 })
    // c starts when a ends (half-open): it takes a's lane.
    expect(by.get('c')).toMatchObject({ lane: 0, lanes: 2 })
    expect(by.get('d')).toMatchObject({ top: 840, lane: 0, lanes: 1 })
  })

  test('a meeting across midnight is clipped to each day; one ending at midnight is not on the next', () => {
    const late = item('late', '2026-12-08T23:00:00+08:00', '2026-12-09T01:00:00+08:00')
    const ends = item('ends', '2026-12-08T22:00:00+08:00', '2026-12-09T00:00:00+08:00')
    expect(layoutDay([late], '2026-12-08').timed[0]).toMatchObject({ top: 1380, height: 60 })
    expect(layoutDay([late], '2026-12-09').timed[0]).toMatchObject({ top: 0, height: 60 })
    expect(layoutDay([ends], '2026-12-09').timed).toEqual([])
  })

  test('a meeting at 07:30 Shanghai (23:30 UTC the day before) falls on its Shanghai day', () => {
    const early = item('early', '2026-12-07T23:30:00Z', '2026-12-08T00:30:00Z')
    const cells = itemsByDay([early], viewRange('week', '2026-12-08').days)
    expect(cells.get('2026-12-07')).toEqual([])
    expect(cells.get('2026-12-08')?.map((i) => i.meetingId)).toEqual(['early'])
    expect(layoutDay([early], '2026-12-08').timed[0]?.top).toBe(450)
  })
})
