/**
 * Keyboard use of the Element Plus unit trees (组织机构, 通讯录). Element Plus moves focus with ↑/↓
 * and clicks the focused node on ←/→; these handlers add what a keyboard user also needs: Enter or
 * Space selects the focused unit, → opens it and ← closes it.
 */

/** The part of an Element Plus tree instance the handler uses. */
export interface KeyboardTree {
  getNode(key: string): { expand(): void; collapse(): void } | null
}

/** @returns the unit id of the tree item that has the focus, if any. */
function focusedKey(event: KeyboardEvent): string | null {
  const target = event.target
  if (!(target instanceof Element)) {
    return null
  }
  return target.closest('[role="treeitem"]')?.getAttribute('data-key') ?? null
}

/** Handles a keydown inside a unit tree. */
export function onUnitTreeKeydown(
  event: KeyboardEvent,
  tree: KeyboardTree | null,
  select: (unitId: string) => void,
): void {
  const key = focusedKey(event)
  if (key === null || tree === null) {
    return
  }
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault()
    select(key)
  } else if (event.key === 'ArrowRight') {
    tree.getNode(key)?.expand()
  } else if (event.key === 'ArrowLeft') {
    tree.getNode(key)?.collapse()
  }
}
