/** The editor view's keyboard shortcuts, bound on the window while the view is mounted. */
import { onBeforeUnmount, onMounted } from 'vue'

export function useEditorShortcuts(actions: {
  startComment: () => void
  toggleTrackChanges: () => void
}): void {
  // As in Word: Ctrl+Alt+M adds a comment on the selection, Ctrl+Shift+E switches 修订 on or off.
  function onShortcut(event: KeyboardEvent): void {
    if (event.ctrlKey && event.altKey && event.key.toLowerCase() === 'm') {
      event.preventDefault()
      actions.startComment()
    } else if (
      event.ctrlKey &&
      event.shiftKey &&
      !event.altKey &&
      event.key.toLowerCase() === 'e'
    ) {
      event.preventDefault()
      actions.toggleTrackChanges()
    }
  }
  onMounted(() => window.addEventListener('keydown', onShortcut))
  onBeforeUnmount(() => window.removeEventListener('keydown', onShortcut))
}
