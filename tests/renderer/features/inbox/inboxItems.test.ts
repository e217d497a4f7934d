import { describe, expect, test } from 'vitest'
import type { InboxItem } from '../../../../shared/api'
import {
  ageOf,
  isInboxItem,
  orderItems,
  unreadCount,
} from '../../../../renderer/src/features/inbox/inboxItems'

function item(id: string, createdAt: string, readAt: string | null = null): InboxItem {
  return {
    id,
    kind: 'mention',
    text: '张三 在《关于做好防汛工作的通知》中提到了你',
    excerpt: '请@李四 核对值班表',
    link: `/documents/d1?thread=${id}`,
    documentId: 'd1',
    threadId: id,
    actorId: 'u1',
    actorName: '张三',
    createdAt,
    readAt,
  }
}

describe('inbox items', () => {
  test('room contents that are not inbox items are ignored', () => {
    expect(isInboxItem(item('a', '2026-01-01T08:00:00.000Z'))).toBe(true)
    expect(isInboxItem({ ...item('a', '2026-01-01T08:00:00.000Z'), kind: 'spam' })).toBe(false)
    // Every kind the relay sends shows in the bell (meetings, documents, comments, 修订, approvals).
    for (const kind of ['meeting', 'member', 'comment', 'suggestion', 'decision', 'approval']) {
      expect(isInboxItem({ ...item('a', '2026-01-01T08:00:00.000Z'), kind })).toBe(true)
    }
    expect(isInboxItem({ id: 'x' })).toBe(false)
    expect(isInboxItem(null)).toBe(false)
  })

  test('newest first, and an item marked read here shows read before the room confirms it', () => {
    const items = [
      item('old', '2026-01-01T08:00:00.000Z'),
      item('new', '2026-01-02T08:00:00.000Z'),
      item('done', '2026-01-01T09:00:00.000Z', '2026-01-01T10:00:00.000Z'),
    ]
    const local = new Map([['old', '2026-01-03T00:00:00.000Z']])
    const ordered = orderItems(items, local)
    expect(ordered.map((i) => i.id)).toEqual(['new', 'done', 'old'])
    expect(ordered.find((i) => i.id === 'old')?.readAt).toBe('2026-01-03T00:00:00.000Z')
    // The relay counts beyond the newest 200 it keeps in the room; local marks count down at once.
    expect(unreadCount(items, 250, new Map())).toBe(250)
    expect(unreadCount(items, 250, local)).toBe(249)
    expect(unreadCount(items, null, new Map())).toBe(2)
    // Never fewer than the unread items listed.
    expect(unreadCount(items, 0, new Map())).toBe(2)
  })

  test('ages read as 刚刚 / N 分钟前 / N 小时前 within a day, then as a date', () => {
    const now = Date.parse('2026-01-02T12:00:00.000Z')
    expect(ageOf('2026-01-02T11:59:40.000Z', now)).toEqual({ key: 'inbox.justNow', count: 0 })
    expect(ageOf('2026-01-02T11:35:00.000Z', now)).toEqual({ key: 'inbox.minutesAgo', count: 25 })
    expect(ageOf('2026-01-02T09:00:00.000Z', now)).toEqual({ key: 'inbox.hoursAgo', count: 3 })
    expect(ageOf('2026-01-01T09:00:00.000Z', now).key).toBeNull()
  })
})
