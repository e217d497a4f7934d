/**
 * The editor view's keyboard shortcuts, bound on the window while the view is mounted, as Word has
 * them: Ctrl+S saves (and says where), Ctrl+P opens the GB/T 9704 print layout instead of printing
 * the editing screen, Ctrl+Alt+M adds a comment on the selection, Ctrl+Shift+E switches 修订 on or off. ⌘ stands in for Ctrl on a Mac.
 */
import { onBeforeUnmount, onMounted } from 'vue'

/** What the shortcuts do. */
export interface EditorShortcutActions {
  readonly startComment: () => void
  readonly save: () => void
  readonly print: () => void
  readonly toggleTrackChanges: () => void
}

/** @returns the action a key press asks for, or null (pure, for the tests). */
export function shortcutFor(
  event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'key'>,
): keyof EditorShortcutActions | null {
  const command = event.ctrlKey || event.metaKey
  if (!command) {
    return null
  }
  const key = event.key.toLowerCase()
  if (event.altKey) {
    return key === 'm' && !event.shiftKey ? 'startComment' : null
  }
  if (event.shiftKey) {
    return key === 'e' ? 'toggleTrackChanges' : null
  }
  return key === 's' ? 'save' : key === 'p' ? 'print' : null
}

export function useEditorShortcuts(actions: EditorShortcutActions): void {
  function onShortcut(event: KeyboardEvent): void {
    const action = shortcutFor(event)
    if (action === null) {
      return
    }
    // The browser's own Save page / Print would save the app's HTML or print the editing screen.
    event.preventDefault()
    if (!event.repeat) {
      actions[action]()
    }
  }
  onMounted(() => window.addEventListener('keydown', onShortcut))
  onBeforeUnmount(() => window.removeEventListener('keydown', onShortcut))
}
