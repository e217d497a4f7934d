import { describe, expect, test } from 'vitest'
import { mount } from '@vue/test-utils'
import TodoTable from '../../../../renderer/src/features/todos/components/TodoTable.vue'
import { rowView } from '../../../../renderer/src/features/todos/todoRows'
import { i18n } from '../../../../renderer/src/i18n'
import type { TodoItem } from '../../../../shared/http/routes/approvals'

const NOW = Date.parse('2026-12-07T06:00:00.000Z')

function item(approvalId: string, overrides: Partial<TodoItem> = {}): TodoItem {
  return {
    approvalId,
    title: `关于${approvalId}的通知`,
    subjectType: 'document',
    formId: null,
    documentId: `d-${approvalId}`,
    status: 'running',
    currentStageId: 'signoff',
    currentStageName: '签发',
    initiatorId: 'u1',
    initiatorName: '张三',
    reopened: false,
    deadline: null,
    batchable: false,
    createdAt: '2026-12-07T01:00:00.000Z',
    updatedAt: '2026-12-07T01:00:00.000Z',
    ...overrides,
  }
}

function mountTable(items: TodoItem[]) {
  const rows = items.map((i) => rowView(i, 'pending', new Map(), NOW))
  return mount(TodoTable, {
    props: { rows, box: 'pending', selected: new Set<string>() },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
}

describe('待办 table', () => {
  test('a re-opened 签发 shows ⚠ and a passed deadline shows red with 已超期', () => {
    const wrapper = mountTable([
      item('a', { reopened: true }),
      item('b', { deadline: '2026-12-07T05:00:00.000Z' }),
    ])
    const [first, second] = wrapper.findAll('[data-testid="todo-row"]')
    expect(first?.find('[data-testid="todo-reopened"]').attributes('aria-label')).toContain(
      '发文复核',
    )
    expect(second?.find('[data-testid="todo-reopened"]').exists()).toBe(false)
    expect(second?.find('.overdue').text()).toContain('已超期')
    expect(first?.text()).toContain('公文')
    wrapper.unmount()
  })

  test('arrow keys move the focus, Enter opens, Space selects only batchable rows', async () => {
    const wrapper = mountTable([item('a'), item('b', { batchable: true })])
    const rows = wrapper.findAll('[data-testid="todo-row"]')
    expect(rows.map((row) => row.attributes('tabindex'))).toEqual(['0', '-1'])
    await rows[0]?.trigger('keydown', { key: ' ' })
    expect(wrapper.emitted('toggle')).toBeUndefined()
    await rows[0]?.trigger('keydown', { key: 'ArrowDown' })
    await wrapper.vm.$nextTick()
    expect(
      wrapper.findAll('[data-testid="todo-row"]').map((r) => r.attributes('tabindex')),
    ).toEqual(['-1', '0'])
    await rows[1]?.trigger('keydown', { key: ' ' })
    expect(wrapper.emitted('toggle')).toEqual([['b']])
    await rows[1]?.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('open')).toEqual([['b']])
    wrapper.unmount()
  })
})
