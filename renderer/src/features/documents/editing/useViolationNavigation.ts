/**
 * Taking the user to what the side panel points at: a range of the body (a 批注 thread, a 修订
 * suggestion) or a checker violation, in the body or in a field of the 公文要素 form.
 */
import { nextTick } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import type { Editor } from '@tiptap/vue-3'
import type { ViolationTarget } from '../../../../../shared/gongwen/checker'
import type { BodyRange, RoomMode } from '../gongwen/pageview/gongwenRoom'
import type { SideTab } from '../gongwen/pageview/GongwenSidePanel.vue'
import { blockRange } from '../gongwen/pageview/bodyLocations'
import { metaFieldId } from '../gongwen/meta/metaFields'

/** What the view binds to. */
export interface ViolationNavigation {
  /** Selects `range` in the body and scrolls to it (focusing the body unless read-only). */
  locate(range: BodyRange): void
  /** Goes to a violation: its field in the 公文要素 tab, or its text in the body. */
  locateViolation(target: ViolationTarget): Promise<void>
}

export function useViolationNavigation(options: {
  editor: ShallowRef<Editor | null>
  mode: () => RoomMode
  sideTab: Ref<SideTab>
}): ViolationNavigation {
  const { editor, mode, sideTab } = options

  function locate(range: BodyRange): void {
    const current = editor.value
    if (current === null) {
      return
    }
    current.chain().setTextSelection(range).scrollIntoView().run()
    if (mode() !== 'read') {
      current.view.focus()
    }
    // ProseMirror scrolls only to a DOM selection inside a focused editor: not when reading, nor
    // when a link (an inbox notice) is followed from outside. Bring the text to the middle then.
    const { view } = current
    const coords = view.coordsAtPos(range.from)
    if (coords.top < 0 || coords.bottom > window.innerHeight) {
      const { node } = view.domAtPos(range.from)
      const element = node instanceof Element ? node : node.parentElement
      element?.scrollIntoView({ block: 'center' })
    }
  }

  async function locateViolation(target: ViolationTarget): Promise<void> {
    if (target.kind === 'meta') {
      sideTab.value = 'meta'
      await nextTick()
      const field = document.getElementById(metaFieldId(target.field, target.item))
      field?.focus()
      if (
        (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) &&
        target.offset !== undefined
      ) {
        field.setSelectionRange(target.offset, target.offset + (target.length ?? 0))
      }
      return
    }
    const current = editor.value
    const range =
      current === null
        ? null
        : blockRange(current.state.doc, target.block, target.offset, target.length)
    if (range !== null) {
      locate(range)
    }
  }

  return { locate, locateViolation }
}
