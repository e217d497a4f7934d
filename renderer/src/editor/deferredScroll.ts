/**
 * Keeps the caret on screen without a forced layout per transaction.
 *
 * ProseMirror scrolls the selection into view inside every transaction that asks for it (every
 * keystroke, and y-prosemirror asks for it on each colleague's change while the caret is on
 * screen). To know where the caret is, it measures it right after changing the DOM, so Chromium lays
 * the whole page out synchronously, once per transaction, before the frame that will lay it out
 * again. Here the measurement waits for the next animation frame: the layout it needs is then the
 * frame's own, done once however many transactions came before it.
 */
import type { EditorView } from '@tiptap/pm/view'

/** Space kept between the caret and the edge of the scrolled area (px), as ProseMirror's default. */
const MARGIN_PX = 5

/**
 * @returns an editor prop (`handleScrollToSelection`) that schedules the scroll for the next
 *   frame and tells ProseMirror it is handled
 */
export function deferScrollToSelection(): (view: EditorView) => boolean {
  const scheduled = new WeakSet<EditorView>()
  return (view) => {
    if (!scheduled.has(view)) {
      scheduled.add(view)
      requestAnimationFrame(() => {
        scheduled.delete(view)
        if (!view.isDestroyed) {
          scrollCaretIntoView(view)
        }
      })
    }
    return true
  }
}

/** Scrolls every scrolled ancestor of the editor (and the window) so that the caret is visible. */
export function scrollCaretIntoView(view: EditorView): void {
  const head = view.state.selection.head
  let rect: { top: number; bottom: number }
  try {
    rect = view.coordsAtPos(head)
  } catch {
    return // the position is not rendered (yet)
  }
  const doc = view.dom.ownerDocument
  for (let element = view.dom.parentElement; element !== null; element = element.parentElement) {
    const atTop = element === doc.body || element === doc.documentElement
    if (atTop) {
      const height = doc.defaultView?.innerHeight ?? doc.documentElement.clientHeight
      const move = overflow(rect, 0, height)
      if (move !== 0) {
        doc.defaultView?.scrollBy(0, move)
      }
      return
    }
    const style = getComputedStyle(element)
    if (!/(auto|scroll)/.test(style.overflowY) || element.scrollHeight <= element.clientHeight) {
      continue
    }
    const bounds = element.getBoundingClientRect()
    const move = overflow(rect, bounds.top, bounds.bottom)
    if (move !== 0) {
      const before = element.scrollTop
      element.scrollTop += move
      const moved = element.scrollTop - before
      rect = { top: rect.top - moved, bottom: rect.bottom - moved }
    }
  }
}

/** @returns how far to scroll (px, + down) so that [top, bottom] lies within [from, to] */
function overflow(rect: { top: number; bottom: number }, from: number, to: number): number {
  if (rect.top < from + MARGIN_PX) {
    return rect.top - from - MARGIN_PX
  }
  if (rect.bottom > to - MARGIN_PX) {
    return rect.bottom - to + MARGIN_PX
  }
  return 0
}
