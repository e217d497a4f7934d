import { beforeEach, describe, expect, test, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { TodoCounts, TodoItem } from '../../../../shared/http/routes/approvals'

const answers: {
  resolve: (value: { items: TodoItem[]; counts: TodoCounts }) => void
  box: string
}[] = []

vi.mock('../../../../renderer/src/features/todos/todosApi', () => ({
  fetchTodos: (box: string) =>
    new Promise((resolve) => {
      answers.push({ resolve, box })
    }),
  fetchForms: async () => [],
}))

const { useTodosStore } = await import('../../../../renderer/src/features/todos/todosStore')
const { useTodoCountsStore } = await import('../../../../renderer/src/stores/todoCounts')

function counts(pending: number): TodoCounts {
  return { pending, initiated: 0, done: 0, cc: 0 }
}

function item(approvalId: string): TodoItem {
  return {
    approvalId,
    title: '请假申请',
    subjectType: 'form',
    formId: 'leave',
    documentId: null,
    status: 'running',
    currentStageId: 'head',
    currentStageName: '科室负责人审批',
    initiatorId: 'u1',
    initiatorName: '张三',
    reopened: false,
    deadline: null,
    batchable: true,
    createdAt: '2026-12-07T01:00:00.000Z',
    updatedAt: '2026-12-07T01:00:00.000Z',
  }
}

describe('待办 store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    answers.length = 0
  })

  test('counts come from the last list answer until the live room has some, then from the room', async () => {
    const todos = useTodosStore()
    const live = useTodoCountsStore()
    expect(todos.counts).toBeNull()
    const loading = todos.load('pending')
    answers[0]?.resolve({ items: [item('a1')], counts: counts(1) })
    await loading
    expect(todos.counts).toEqual(counts(1))
    expect(todos.live).toBe(false)
    live.update(counts(4), true)
    expect(todos.counts).toEqual(counts(4))
  })

  test('an older answer never overwrites a newer one of the same box', async () => {
    const todos = useTodosStore()
    const older = todos.load('pending')
    const newer = todos.load('pending')
    answers[1]?.resolve({ items: [item('new')], counts: counts(1) })
    await newer
    answers[0]?.resolve({ items: [item('old1'), item('old2')], counts: counts(2) })
    await older
    expect(todos.boxes.pending.items.map((row) => row.approvalId)).toEqual(['new'])
    expect(todos.boxes.pending.loading).toBe(false)
    expect(todos.boxes.pending.loaded).toBe(true)
  })

  test('an empty box is known empty only once loaded', async () => {
    const todos = useTodosStore()
    expect(todos.boxes.cc.loaded).toBe(false)
    const loading = todos.load('cc')
    expect(todos.boxes.cc.loading).toBe(true)
    answers[0]?.resolve({ items: [], counts: counts(0) })
    await loading
    expect(todos.boxes.cc).toMatchObject({ items: [], loaded: true, loading: false, error: null })
  })
})
