import { describe, expect, test } from 'vitest'
import type { InboxItem } from '../../../../shared/api'
import { SeenItems } from '../../../../renderer/src/features/inbox/inboxNotices'

function item(id: string, minute: number, readAt: string | null = null): InboxItem {
  return {
    id,
    kind: 'suggestion',
    text: '王芳 在《关于做好防汛工作的通知》中提出了修订建议',
    excerpt: '建议将「高度重视」改为「切实重视」',
    link: `/documents/d1?suggestion=${id}`,
    documentId: 'd1',
    threadId: null,
    actorId: 'u2',
    actorName: '王芳',
    createdAt: new Date(Date.UTC(2026, 0, 1, 8, minute)).toISOString(),
    readAt,
  }
}

describe('which notices make a desktop notification', () => {
  test('what the inbox held when it first came is the baseline; later unread items are news once', () => {
    const seen = new SeenItems()
    expect(seen.fresh([item('a', 1)])).toEqual([])
    expect(seen.fresh([item('a', 1), item('b', 2)]).map((i) => i.id)).toEqual(['b'])
    expect(seen.fresh([item('a', 1), item('b', 2)])).toEqual([])
    // Several at once, newest first; one already read elsewhere is not news.
    const next = [item('c', 3), item('d', 5), item('e', 4, '2026-01-01T08:06:00.000Z')]
    expect(seen.fresh([item('a', 1), item('b', 2), ...next]).map((i) => i.id)).toEqual(['d', 'c'])
  })

  test('after a reset (another user signs in) the next inbox is a new baseline', () => {
    const seen = new SeenItems()
    seen.fresh([item('a', 1)])
    seen.reset()
    expect(seen.fresh([item('x', 1), item('y', 2)])).toEqual([])
    expect(seen.fresh([item('x', 1), item('y', 2), item('z', 3)]).map((i) => i.id)).toEqual(['z'])
  })
})
