/**
 * 修订 mode (suggesting): for members with the commenter role, and for editors who switched 修订
 * on. The body is editable, with a caret, but nothing typed reaches `body`: every edit is turned
 * into suggestions instead (suggestions/typedSuggestions.ts), drawn inline by the annotations.
 *
 * - typed text (keys, `insertText` from an input method or the on-screen keyboard), paste and drop
 *   become suggested insertions or replacements (handleTextInput, handlePaste, handleDrop);
 * - Backspace / Delete (and cut) become suggested deletions;
 * - an input method's composition happens in the suggestion box (opened at the caret when the
 *   first key is processed by the input method), whose committed text goes in the same way;
 * - Enter (a new paragraph) cannot be expressed as a suggestion and is declined with a note;
 * - any other local transaction that would change the body is dropped, so nothing a reviewer does
 *   can reach `body` (the relay refuses such updates from a commenter as well).
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

/** Options of the extension. */
export interface SuggestionInputOptions {
  /** Whether the current user suggests instead of editing. */
  readonly enabled: () => boolean
  /** Text typed or pasted over `from`–`to` of `doc`. @returns the caret's next position, or null */
  readonly onInsert: (doc: ProseMirrorNode, from: number, to: number, text: string) => number | null
  /** Backspace / Delete at a caret (from == to) or over a selection. @returns the next caret */
  readonly onDelete: (
    doc: ProseMirrorNode,
    direction: 'backward' | 'forward',
    from: number,
    to: number,
  ) => number | null
  /** An input method starts composing: open the suggestion box there. Must focus it synchronously. */
  readonly onCompose: (from: number, to: number) => void
  /** A key whose edit a suggestion cannot express (Enter: a new paragraph). */
  readonly onUnsupported: (what: 'paragraph') => void
}

const suggestionInputKey = new PluginKey('gongwenSuggestionInput')

/** The key code browsers report for a key the input method processes. */
const IME_KEY_CODE = 229

function placeCaret(view: EditorView, caret: number | null): void {
  if (view.isDestroyed || caret === null || caret < 0 || caret > view.state.doc.content.size) {
    return
  }
  const $caret = view.state.doc.resolve(caret)
  const selection = $caret.parent.inlineContent
    ? TextSelection.create(view.state.doc, caret)
    : TextSelection.near($caret)
  view.dispatch(view.state.tr.setSelection(selection).scrollIntoView())
}

function handleKey(
  view: EditorView,
  event: KeyboardEvent,
  options: SuggestionInputOptions,
): boolean {
  const { from, to } = view.state.selection
  if (event.keyCode === IME_KEY_CODE || event.key === 'Process') {
    if (!event.isComposing && !view.composing) {
      options.onCompose(from, to)
    }
    return false
  }
  switch (event.key) {
    case 'Backspace':
    case 'Delete': {
      const direction = event.key === 'Backspace' ? 'backward' : 'forward'
      placeCaret(view, options.onDelete(view.state.doc, direction, from, to))
      return true
    }
    case 'Enter':
      options.onUnsupported('paragraph')
      return true
  }
  // Undo and redo would be body edits (the suggestions have no undo history of their own).
  return (event.ctrlKey || event.metaKey) && ['z', 'y'].includes(event.key.toLowerCase())
}

/** The extension (runs before the editor's own keymaps). */
export const SuggestionInput = Extension.create<SuggestionInputOptions>({
  name: 'gongwenSuggestionInput',
  priority: 1000,

  addOptions() {
    return {
      enabled: () => false,
      onInsert: () => null,
      onDelete: () => null,
      onCompose: () => undefined,
      onUnsupported: () => undefined,
    }
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
          handleKeyDown(view, event) {
            return options.enabled() ? handleKey(view, event, options) : false
          },
          handleTextInput(view, from, to, text) {
            if (!options.enabled()) {
              return false
            }
            // Mid-composition text is the input method's draft; the committed text comes later.
            if (!view.composing) {
              placeCaret(view, options.onInsert(view.state.doc, from, to, text))
            }
            return true
          },
          handlePaste(view, _event, slice) {
            if (!options.enabled()) {
              return false
            }
            const text = slice.content.textBetween(0, slice.content.size, '\n', '')
            const { from, to } = view.state.selection
            placeCaret(view, options.onInsert(view.state.doc, from, to, text))
            return true
          },
          handleDrop() {
            // Dragging text around the body would be an edit of it; a suggestion is typed.
            return options.enabled()
          },
          handleDOMEvents: {
            cut(view) {
              if (!options.enabled()) {
                return false
              }
              const { from, to } = view.state.selection
              if (from < to) {
                // After the editor has put the selection on the clipboard (its own deletion is
                // dropped by the filter above).
                setTimeout(() => {
                  if (!view.isDestroyed) {
                    placeCaret(view, options.onDelete(view.state.doc, 'backward', from, to))
                  }
                }, 0)
              }
              return false
            },
          },
        },
      }),
    ]
  },
})
