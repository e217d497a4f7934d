/**
 * 修订 mode for members with the commenter role. Their editor is not editable (the body is the
 * drafters'); this extension turns their keys into suggestions instead:
 *
 * - Backspace / Delete propose deleting the selection (or the character before / after the caret);
 * - a printable key or Enter opens the suggestion box at the selection (insert at a caret, replace
 *   over a selection). An ASCII letter only opens the box, because with a Chinese input method it
 *   is the first letter of a pinyin syllable; the IME then composes in the box as usual;
 * - ← / → (with Shift) move the caret, which the extension draws since the browser does not;
 * - any local transaction that would change the body is dropped, so nothing a reviewer does can
 *   reach `body` (the relay refuses such updates as well).
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

/** Options of the extension. */
export interface SuggestionInputOptions {
  /** Whether the current user suggests instead of editing. */
  readonly enabled: () => boolean
  /** Propose deleting the text between two positions. */
  readonly onDelete: (from: number, to: number) => void
  /** Open the suggestion box for the range (from == to: insert). Must focus it synchronously. */
  readonly onCompose: (from: number, to: number) => void
}

const suggestionInputKey = new PluginKey('gongwenSuggestionInput')

function moveCaret(view: EditorView, direction: -1 | 1, extend: boolean): void {
  const { selection, doc } = view.state
  const head = Math.max(0, Math.min(doc.content.size, selection.head + direction))
  const $head = doc.resolve(head)
  const target = $head.parent.isTextblock ? $head : TextSelection.near($head, direction).$head
  const anchor = extend ? selection.$anchor : target
  view.dispatch(view.state.tr.setSelection(TextSelection.between(anchor, target)).scrollIntoView())
}

function handleKey(
  view: EditorView,
  event: KeyboardEvent,
  options: SuggestionInputOptions,
): boolean {
  const { selection } = view.state
  const { from, to, empty, $from } = selection
  if (event.ctrlKey || event.metaKey || event.altKey) {
    // Copy and select-all stay; cut, paste, undo and redo would be body edits.
    if (['x', 'v', 'z', 'y'].includes(event.key.toLowerCase())) {
      event.preventDefault()
      return true
    }
    return false
  }
  switch (event.key) {
    case 'Backspace':
    case 'Delete': {
      event.preventDefault()
      if (!empty) {
        options.onDelete(from, to)
      } else if (event.key === 'Backspace' && $from.parentOffset > 0) {
        options.onDelete(from - 1, from)
      } else if (event.key === 'Delete' && $from.parentOffset < $from.parent.content.size) {
        options.onDelete(from, from + 1)
      }
      return true
    }
    case 'Enter':
      event.preventDefault()
      options.onCompose(from, to)
      return true
    case 'ArrowLeft':
    case 'ArrowRight':
      event.preventDefault()
      moveCaret(view, event.key === 'ArrowLeft' ? -1 : 1, event.shiftKey)
      return true
  }
  if (event.key.length === 1 && !event.isComposing) {
    if (/^[a-z]$/i.test(event.key)) {
      event.preventDefault()
    }
    options.onCompose(from, to)
    return true
  }
  return false
}

/** The extension (runs before the editor's own keymaps). */
export const SuggestionInput = Extension.create<SuggestionInputOptions>({
  name: 'gongwenSuggestionInput',
  priority: 1000,

  addOptions() {
    return { enabled: () => false, onDelete: () => undefined, onCompose: () => undefined }
  },

  addProseMirrorPlugins() {
    const options = this.options
    return [
      new Plugin({
        key: suggestionInputKey,
        filterTransaction(tr) {
          // Remote changes arrive through the Yjs binding and carry its meta; keep those.
          return !options.enabled() || !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined
        },
        props: {
          handleDOMEvents: {
            keydown(view, event) {
              return options.enabled() ? handleKey(view, event, options) : false
            },
          },
        },
      }),
    ]
  },
})
