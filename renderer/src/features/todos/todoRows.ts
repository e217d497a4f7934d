/**
 * What one row of the 待办 centre shows, and how the keyboard moves through the list. Pure, so the
 * rules (overdue, the type column, which rows a batch may take) are tested without a DOM.
 *
 * @example
 *   rowView(item, formNames, Date.now()) // { typeLabel: '请假申请', overdue: true, … }
 */
import type { TodoBox, TodoItem } from '../../../../shared/http/routes/approvals'

/** A row as the list shows it. */
export interface TodoRowView {
  readonly item: TodoItem
  /** `null`: a 公文 (the view translates it); otherwise the form's name (or id when unknown). */
  readonly formName: string | null
  /** The current stage's deadline has passed while the approval runs. */
  readonly overdue: boolean
  /** The row may be taken into a batch approval. */
  readonly batchable: boolean
}

/**
 * @param box the tab: only 待我审批 rows can be batch approved, and only when the server says so
 * @param formNames the names of the forms by id (from listForms)
 * @param now the clock, ms
 */
export function rowView(
  item: TodoItem,
  box: TodoBox,
  formNames: ReadonlyMap<string, string>,
  now: number,
): TodoRowView {
  const formName =
    item.subjectType === 'document' ? null : (formNames.get(item.formId ?? '') ?? item.formId ?? '')
  return {
    item,
    formName,
    overdue: isOverdue(item, now),
    batchable: box === 'pending' && item.batchable && item.status === 'running',
  }
}

/** @returns whether a running item's current deadline has passed. */
export function isOverdue(item: TodoItem, now: number): boolean {
  if (item.status !== 'running' || item.deadline === null) {
    return false
  }
  const deadline = Date.parse(item.deadline)
  return Number.isFinite(deadline) && deadline < now
}

/** How far PageUp and PageDown move. */
const PAGE = 10

/**
 * Moves the keyboard cursor of a list.
 * @param current the focused row, -1 when none
 * @param key `KeyboardEvent.key`
 * @returns the new index, or null when the key is not a move (so the event is left alone)
 */
export function moveCursor(current: number, key: string, length: number): number | null {
  if (length === 0) {
    return null
  }
  const last = length - 1
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : Math.min(last, current + 1)
    case 'ArrowUp':
      return current < 0 ? 0 : Math.max(0, current - 1)
    case 'Home':
      return 0
    case 'End':
      return last
    case 'PageDown':
      return Math.min(last, Math.max(0, current) + PAGE)
    case 'PageUp':
      return Math.max(0, current - PAGE)
    default:
      return null
  }
}

/**
 * Keeps a selection to the rows that still exist and may still be batched (a refresh after an
 * action elsewhere removes rows).
 */
export function keepSelectable(
  selected: ReadonlySet<string>,
  rows: readonly TodoRowView[],
): Set<string> {
  const allowed = new Set(rows.filter((row) => row.batchable).map((row) => row.item.approvalId))
  return new Set([...selected].filter((id) => allowed.has(id)))
}

/** @returns the id of the approval route of a row (the approval page of another engineer). */
export function approvalPath(approvalId: string): string {
  return `/approvals/${encodeURIComponent(approvalId)}`
}

/** @returns the start page of a form (发起申请). */
export function startFormPath(formId: string): string {
  return `/approvals/new/${encodeURIComponent(formId)}`
}
