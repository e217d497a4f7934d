import { describe, expect, test } from 'vitest'
import type { TodoItem } from '../../../../shared/http/routes/approvals'
import {
  isOverdue,
  keepSelectable,
  moveCursor,
  rowView,
} from '../../../../renderer/src/features/todos/todoRows'

function item(overrides: Partial<TodoItem> = {}): TodoItem {
  return {
    approvalId: 'a1',
    title: '关于做好防汛工作的通知',
    subjectType: 'document',
    formId: null,
    documentId: 'd1',
    status: 'running',
    currentStageId: 'review',
    currentStageName: '核稿',
    initiatorId: 'u1',
    initiatorName: '张三',
    reopened: false,
    deadline: null,
    batchable: true,
    createdAt: '2026-12-07T01:00:00.000Z',
    updatedAt: '2026-12-07T01:00:00.000Z',
    ...overrides,
  }
}

const NOW = Date.parse('2026-12-07T06:00:00.000Z')
const FORMS = new Map([['leave', '请假申请']])

describe('rows of the 待办 centre', () => {
  test('a document row says 公文 (null form name) and a form row names its form', () => {
    expect(rowView(item(), 'pending', FORMS, NOW).formName).toBeNull()
    const leave = item({ subjectType: 'form', formId: 'leave', documentId: null })
    expect(rowView(leave, 'pending', FORMS, NOW).formName).toBe('请假申请')
    const unknown = item({ subjectType: 'form', formId: 'custom-1', documentId: null })
    expect(rowView(unknown, 'pending', FORMS, NOW).formName).toBe('custom-1')
  })

  test('a running approval past its deadline is overdue; a finished one never is', () => {
    const late = item({ deadline: '2026-12-07T05:00:00.000Z' })
    expect(isOverdue(late, NOW)).toBe(true)
    expect(isOverdue(item({ deadline: '2026-12-08T05:00:00.000Z' }), NOW)).toBe(false)
    expect(isOverdue({ ...late, status: 'approved' }, NOW)).toBe(false)
    expect(isOverdue(item(), NOW)).toBe(false)
  })

  test('only running 待我审批 rows the server marks batchable may join a batch', () => {
    expect(rowView(item(), 'pending', FORMS, NOW).batchable).toBe(true)
    expect(rowView(item({ batchable: false }), 'pending', FORMS, NOW).batchable).toBe(false)
    expect(rowView(item(), 'done', FORMS, NOW).batchable).toBe(false)
  })

  test('a refresh drops selected rows that are gone or no longer batchable', () => {
    const rows = [
      rowView(item({ approvalId: 'a1' }), 'pending', FORMS, NOW),
      rowView(item({ approvalId: 'a2', batchable: false }), 'pending', FORMS, NOW),
    ]
    expect([...keepSelectable(new Set(['a1', 'a2', 'a3']), rows)]).toEqual(['a1'])
  })

  test('arrow keys, Home, End and page keys move the cursor within the list', () => {
    expect(moveCursor(-1, 'ArrowDown', 5)).toBe(0)
    expect(moveCursor(0, 'ArrowDown', 5)).toBe(1)
    expect(moveCursor(4, 'ArrowDown', 5)).toBe(4)
    expect(moveCursor(0, 'ArrowUp', 5)).toBe(0)
    expect(moveCursor(2, 'Home', 5)).toBe(0)
    expect(moveCursor(2, 'End', 5)).toBe(4)
    expect(moveCursor(0, 'PageDown', 25)).toBe(10)
    expect(moveCursor(3, 'PageUp', 25)).toBe(0)
    expect(moveCursor(1, 'a', 5)).toBeNull()
    expect(moveCursor(0, 'ArrowDown', 0)).toBeNull()
  })
})
