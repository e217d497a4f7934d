/** The editor view's keyboard shortcuts, bound on the window while the view is mounted. */
import { onBeforeUnmount, onMounted } from 'vue'

export function useEditorShortcuts(actions: { startComment: () => void }): void {
  // Ctrl+Alt+M (as in Word) adds a comment on the selection.
  function onShortcut(event: KeyboardEvent): void {
    if (event.ctrlKey && event.altKey && event.key.toLowerCase() === 'm') {
      event.preventDefault()
      actions.startComment()
    }
  }
  onMounted(() => window.addEventListener('keydown', onShortcut))
  onBeforeUnmount(() => window.removeEventListener('keydown', onShortcut))
}
