/**
 * The 待办 centre's state: the live counts of the four boxes (from the `inbox:<userId>` room, with
 * the last `GET /todos` answer as the fallback) and the rows of each box, reloaded whenever the
 * counts change so a second browser sees an action within a second.
 */
import { computed, reactive, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { TodoBox, TodoCounts, TodoItem } from '../../../../shared/http/routes/approvals'
import type { FormView } from '../../../../shared/http/routes/approvalSetup'
import { TODO_BOXES, useTodoCountsStore } from '../../stores/todoCounts'
import { fetchForms, fetchTodos } from './todosApi'

/** One box's rows as last loaded. */
export interface BoxState {
  items: TodoItem[]
  /** A load is under way. */
  loading: boolean
  /** Loaded at least once (an empty list is then really empty). */
  loaded: boolean
  error: unknown
}

function emptyBox(): BoxState {
  return { items: [], loading: false, loaded: false, error: null }
}

/** The signed-in user's 待办. */
export const useTodosStore = defineStore('todos', () => {
  const live = useTodoCountsStore()
  const apiCounts = shallowRef<TodoCounts | null>(null)
  const boxes = reactive<Record<TodoBox, BoxState>>({
    pending: emptyBox(),
    initiated: emptyBox(),
    done: emptyBox(),
    cc: emptyBox(),
  })
  const forms = shallowRef<FormView[]>([])
  const formsError = shallowRef<unknown>(null)
  const formsLoaded = ref(false)
  /** Load generations per box: an older answer never overwrites a newer one. */
  const generation: Record<TodoBox, number> = { pending: 0, initiated: 0, done: 0, cc: 0 }

  /** The counts shown: live from the room when it has them, else from the last list answer. */
  const counts = computed<TodoCounts | null>(() => live.counts ?? apiCounts.value)
  /** Whether the counts follow the live room (synced with the relay now). */
  const isLive = computed(() => live.live)
  const formNames = computed(
    () => new Map(forms.value.map((view) => [view.form.id, view.form.name] as const)),
  )

  /** (Re)loads one box; keeps the rows shown until the answer arrives. */
  async function load(box: TodoBox): Promise<void> {
    const mine = ++generation[box]
    const state = boxes[box]
    state.loading = true
    try {
      const answer = await fetchTodos(box)
      if (mine !== generation[box]) {
        return
      }
      state.items = answer.items
      state.loaded = true
      state.error = null
      apiCounts.value = answer.counts
    } catch (caught) {
      if (mine === generation[box]) {
        state.error = caught
      }
    } finally {
      if (mine === generation[box]) {
        state.loading = false
      }
    }
  }

  /** Loads the forms of the 发起申请 menu (once, unless `force`). */
  async function loadForms(force = false): Promise<void> {
    if (formsLoaded.value && !force) {
      return
    }
    try {
      forms.value = await fetchForms()
      formsLoaded.value = true
      formsError.value = null
    } catch (caught) {
      formsError.value = caught
    }
  }

  /** Forgets everything (logout). */
  function reset(): void {
    for (const box of TODO_BOXES) {
      generation[box]++
      Object.assign(boxes[box], emptyBox())
    }
    apiCounts.value = null
    forms.value = []
    formsLoaded.value = false
    formsError.value = null
  }

  return {
    boxes,
    counts,
    live: isLive,
    forms,
    formsError,
    formsLoaded,
    formNames,
    load,
    loadForms,
    reset,
  }
})
