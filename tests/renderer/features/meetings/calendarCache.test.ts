import { beforeEach, describe, expect, test } from 'vitest'
import {
  MAX_RANGES,
  recallRange,
  rememberRange,
} from '../../../../renderer/src/features/meetings/calendarCache'

const entry = (id: string) => ({
  meetingId: id,
  title: `会议${id}`,
  start: '2026-12-08T09:00:00+08:00',
  end: '2026-12-08T10:00:00+08:00',
  roomId: null,
  allDay: false,
})

describe('calendar ranges kept for offline reading', () => {
  beforeEach(() => localStorage.clear())

  test('a range is recalled per user; the storage keeps only the newest ranges', () => {
    rememberRange('u1', 'week:2026-12-07', [entry('a')])
    expect(recallRange('u1', 'week:2026-12-07')).toEqual([entry('a')])
    expect(recallRange('u2', 'week:2026-12-07')).toBeNull()
    for (let week = 0; week < MAX_RANGES + 5; week++) {
      rememberRange('u1', `week:${week}`, [entry(String(week))])
    }
    expect(recallRange('u1', 'week:2026-12-07')).toBeNull()
    expect(recallRange('u1', `week:${MAX_RANGES + 4}`)).toEqual([entry(String(MAX_RANGES + 4))])
    expect(localStorage.length).toBe(1)
  })

  test('fetching a range again replaces it and makes it the newest', () => {
    rememberRange('u1', 'day:2026-12-08', [entry('a')])
    rememberRange('u1', 'day:2026-12-08', [entry('b')])
    expect(recallRange('u1', 'day:2026-12-08')).toEqual([entry('b')])
    const raw = JSON.parse(localStorage.getItem('qilu:u1:meetings:calendar') ?? '[]') as unknown[]
    expect(raw).toHaveLength(1)
  })
})
