/**
 * Colleagues' changes rebuild only the blocks they touched.
 *
 * When a remote Y transaction changes the body, the binding (@tiptap/y-tiptap's
 * `ProsemirrorBinding._typeChanged`) first drops the Y↔ProseMirror mapping entries of the types the
 * transaction changed or deleted, as y-prosemirror does, and then clears the whole mapping, so every
 * block of the document is rebuilt as a new ProseMirror node. ProseMirror then compares each new node
 * with the one it shows, and every plugin sees a document in which no node is the same object. For a
 * 127-block 公文 that is most of what a colleague's keystroke costs on this screen.
 *
 * Here the binding keeps the entries of untouched types during `_typeChanged` (the clear is skipped
 * there and only there; the forced re-render and snapshots still clear), so the untouched blocks stay
 * the same node objects and only the changed ones are rebuilt — y-prosemirror's own behaviour. Every
 * top-level block is still looked up or rebuilt on each change, so the mapping holds an entry for
 * each block when relative positions (carets, the selection) are resolved against it.
 *
 * This reaches into the binding's internals (`mapping`, `_typeChanged`, `_observeFunction`) of the
 * version in package-lock.json; `tests/renderer/editor/keepUnchangedBlocks.test.ts` fails if they change.
 */
import type { Editor } from '@tiptap/core'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/** The parts of the binding used here. */
interface BindingInternals {
  mapping: Map<unknown, unknown>
  type: Y.XmlFragment
  prosemirrorView: unknown
  _observeFunction: (events: Y.YEvent<Y.XmlElement>[], transaction: Y.Transaction) => void
  _typeChanged: (events: Y.YEvent<Y.XmlElement>[], transaction: Y.Transaction) => void
}

function isBinding(value: unknown): value is BindingInternals {
  const binding = value as Partial<BindingInternals> | null
  return (
    binding !== null &&
    typeof binding === 'object' &&
    binding.mapping instanceof Map &&
    typeof binding._typeChanged === 'function' &&
    typeof binding._observeFunction === 'function' &&
    binding.type !== undefined
  )
}

/**
 * Makes the editor's Yjs binding keep untouched blocks on remote changes.
 * @returns whether the binding was found and changed
 */
export function keepUnchangedBlocks(editor: Editor): boolean {
  const state = ySyncPluginKey.getState(editor.state) as { binding?: unknown } | undefined
  const binding = state?.binding
  if (!isBinding(binding)) {
    return false
  }
  const mapping = binding.mapping
  let keep = false
  mapping.clear = function clear(): void {
    if (!keep) {
      Map.prototype.clear.call(this)
    }
  }
  const typeChanged = binding._typeChanged
  const observe = (events: Y.YEvent<Y.XmlElement>[], transaction: Y.Transaction): void => {
    keep = true
    try {
      typeChanged.call(binding, events, transaction)
    } finally {
      keep = false
    }
  }
  // The binding observes `_observeFunction` from `initView` on and unobserves it on destroy.
  const observing = binding.prosemirrorView !== null && binding.prosemirrorView !== undefined
  if (observing) {
    binding.type.unobserveDeep(binding._observeFunction)
  }
  binding._observeFunction = observe
  if (observing) {
    binding.type.observeDeep(observe)
  }
  return true
}
