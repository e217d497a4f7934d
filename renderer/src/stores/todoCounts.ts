/**
 * The 待办 counts of the four boxes, as the relay publishes them into the `counts` Y.Map of the
 * read-only room `inbox:<userId>` (and in every `GET /todos` answer). Pure helpers: reading the
 * map defensively, telling a rise of the pending count from the first sight of it, and the badge.
 *
 * @example
 *   const counts = readCounts(room.doc.getMap('counts').toJSON()) // { pending: 3, … } or null
 *   pendingRise(before, counts) // 2 when two new items arrived
 */
import { ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { TodoBox, TodoCounts } from '../../../shared/http/routes/approvals'

/** The Y.Map of an inbox room holding the 待办 counts. */
export const COUNTS_FIELD = 'counts'

/** The boxes in the order of the tabs. */
export const TODO_BOXES: readonly TodoBox[] = ['pending', 'initiated', 'done', 'cc']

/** Counts before anything is known. */
export const ZERO_COUNTS: TodoCounts = { pending: 0, initiated: 0, done: 0, cc: 0 }

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null
}

/**
 * @param value the `counts` map of the room as a plain object (`Y.Map#toJSON()`)
 * @returns the counts, or null when the room holds none yet (or something malformed)
 */
export function readCounts(value: unknown): TodoCounts | null {
  if (typeof value !== 'object' || value === null) {
    return null
  }
  const record: Record<string, unknown> = { ...value }
  const pending = count(record.pending)
  const initiated = count(record.initiated)
  const done = count(record.done)
  const cc = count(record.cc)
  if (pending === null || initiated === null || done === null || cc === null) {
    return null
  }
  return { pending, initiated, done, cc }
}

/** @returns whether two sets of counts are the same. */
export function sameCounts(a: TodoCounts | null, b: TodoCounts | null): boolean {
  if (a === null || b === null) {
    return a === b
  }
  return TODO_BOXES.every((box) => a[box] === b[box])
}

/**
 * How many new items arrived in 待我审批 between two readings. The first reading (before is null)
 * is no rise: counts known when the app opens were not "new" to the user in this session.
 * @returns the rise, 0 when the count stayed or fell
 */
export function pendingRise(before: TodoCounts | null, after: TodoCounts | null): number {
  if (before === null || after === null) {
    return 0
  }
  return Math.max(0, after.pending - before.pending)
}

/** @returns the text of a count badge: '' for none, '99+' above 99. */
export function badgeText(value: number): string {
  if (value <= 0) {
    return ''
  }
  return value > 99 ? '99+' : String(value)
}

/**
 * The live 待办 counts of the signed-in user, as the inbox feature reads them from the
 * `inbox:<userId>` room (it writes here; the 待办 centre, the navigation badge and the
 * notifications read here, so no feature imports another).
 */
export const useTodoCountsStore = defineStore('todoCounts', () => {
  /** The room's counts, null until it holds some. */
  const counts = shallowRef<TodoCounts | null>(null)
  /** Whether the room is synced with the relay now (the counts are live). */
  const live = ref(false)

  /** Takes a reading of the room (only a change is stored, so watchers see real changes). */
  function update(next: TodoCounts | null, synced: boolean): void {
    if (!sameCounts(next, counts.value)) {
      counts.value = next
    }
    live.value = synced
  }

  return { counts, live, update }
})
