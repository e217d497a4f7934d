/**
 * The reviewing actions of the editor view: 批注 (a draft comment on the selection, the thread a
 * link names) and 修订 (the suggestion composer, suggesting an edit or a deletion of the selection,
 * an input method's text typed in 修订 mode, the notes on edits that cannot be suggested).
 */
import { ref, watch } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute } from 'vue-router'
import type { Editor } from '@tiptap/vue-3'
import { TextSelection } from '@tiptap/pm/state'
import { ElMessage } from 'element-plus'
import type { BodyRange, GongwenRoom, RoomMode } from '../gongwen/pageview/gongwenRoom'
import type { SideTab } from '../gongwen/pageview/GongwenSidePanel.vue'
import type SuggestionComposer from '../gongwen/suggestions/SuggestionComposer.vue'

/** A comment being written on a range of the body. */
export type DraftComment = BodyRange & { quote: string }

/** What the view binds to. */
export interface Reviewing {
  readonly draftComment: Ref<DraftComment | null>
  /** Opens the suggestion composer for `from`–`to`, below its end (`forInputMethod`: 修订 typing). */
  openComposer(from: number, to: number, forInputMethod?: boolean): void
  onPreview(range: BodyRange, text: string): void
  onPropose(range: BodyRange, text: string): void
  /** Text an input method committed in 修订 mode: typed into the suggestions at `range`. */
  onCommit(range: BodyRange, text: string): void
  onComposerCancel(refocus: boolean): void
  /** An edit in 修订 mode that cannot be suggested: says why. */
  onUnsupported(what: 'paragraph' | 'tooLong'): void
  suggestEdit(): void
  suggestDelete(): void
  /** Starts a comment on the selection, in the 批注 tab. */
  startComment(): void
  /** Opens the comment thread a link names (`?thread=<id>`), if any. */
  openLinkedThread(room: GongwenRoom): void
}

export function useReviewing(options: {
  editor: ShallowRef<Editor | null>
  room: ShallowRef<GongwenRoom | null>
  /** The view's suggestion composer. */
  composer: Readonly<ShallowRef<InstanceType<typeof SuggestionComposer> | null>>
  mode: () => RoomMode
  sideTab: Ref<SideTab>
  locate: (range: BodyRange) => void
}): Reviewing {
  const { editor, room, composer, mode, sideTab, locate } = options
  const { t } = useI18n()
  const route = useRoute()
  const draftComment = ref<DraftComment | null>(null)

  function openComposer(from: number, to: number, forInputMethod = false): void {
    const current = editor.value
    if (current === null || composer.value === null) {
      return
    }
    const coords = current.view.coordsAtPos(to)
    composer.value.open({ from, to }, { left: coords.left, top: coords.bottom + 6 }, forInputMethod)
  }

  /** Gives the body its focus back with the caret at `caret`. */
  function focusBody(caret: number | null): void {
    const current = editor.value
    if (current === null || current.isDestroyed) {
      return
    }
    const { view } = current
    view.focus()
    if (caret !== null && caret >= 0 && caret <= view.state.doc.content.size) {
      const selection = TextSelection.near(view.state.doc.resolve(caret))
      view.dispatch(view.state.tr.setSelection(selection).scrollIntoView())
    }
  }

  function onCommit(range: BodyRange, text: string): void {
    const current = editor.value
    const handle = room.value
    if (current === null || handle === null) {
      return
    }
    let caret: number | null = range.to
    try {
      caret = handle.typing.insert(current.state.doc, range.from, range.to, text) ?? range.to
    } catch {
      onUnsupported('tooLong')
    }
    // After the input method has finished with the box.
    setTimeout(() => focusBody(caret), 0)
  }

  function onUnsupported(what: 'paragraph' | 'tooLong'): void {
    const key = what === 'paragraph' ? 'noParagraph' : 'tooLong'
    ElMessage({ type: 'info', message: t(`gongwen.suggestions.${key}`), grouping: true })
  }

  function onPreview(range: BodyRange, text: string): void {
    room.value?.setPreview({ ...range, text })
  }

  function onPropose(range: BodyRange, text: string): void {
    const handle = room.value
    room.value?.setPreview(null)
    if (handle === null) {
      return
    }
    const count = handle.proposeText(range, text)
    if (count === 0) {
      ElMessage.warning(t('gongwen.suggestions.nothingToSuggest'))
    }
    editor.value?.view.focus()
  }

  function onComposerCancel(refocus: boolean): void {
    room.value?.setPreview(null)
    if (refocus) {
      focusBody(null)
    }
  }

  function selectionRange(): BodyRange | null {
    const current = editor.value
    if (current === null) {
      return null
    }
    const { from, to } = current.state.selection
    return { from, to }
  }

  function suggestEdit(): void {
    const range = selectionRange()
    if (range !== null) {
      openComposer(range.from, range.to)
    }
  }

  function suggestDelete(): void {
    const range = selectionRange()
    if (range === null || range.from === range.to) {
      ElMessage.warning(t('gongwen.comments.selectFirst'))
      return
    }
    room.value?.proposeDelete(range)
  }

  function startComment(): void {
    const current = editor.value
    const range = selectionRange()
    if (current === null || range === null || mode() === 'read') {
      return
    }
    if (range.from === range.to) {
      ElMessage.warning(t('gongwen.comments.selectFirst'))
      return
    }
    draftComment.value = {
      ...range,
      quote: current.state.doc.textBetween(range.from, range.to, ' ').slice(0, 200),
    }
    sideTab.value = 'comments'
  }

  /**
   * Opens the comment thread named in the link (`?thread=<id>`, as inbox mentions link to it): the
   * 批注 tab with that thread active, and its text selected once the thread has been read.
   */
  function openLinkedThread(handle: GongwenRoom): void {
    const threadId = route.query.thread
    if (typeof threadId !== 'string' || threadId === '') {
      return
    }
    sideTab.value = 'comments'
    handle.activate({ kind: 'comment', id: threadId })
    const reveal = (threads: GongwenRoom['threads']['value']): boolean => {
      const thread = threads.find((candidate) => candidate.id === threadId)
      if (thread === undefined) {
        return false
      }
      if (thread.range !== null) {
        locate(thread.range)
      }
      return true
    }
    if (reveal(handle.threads.value)) {
      return
    }
    // The threads arrive with the first sync; stop looking once found (or when the view closes).
    const stop = watch(handle.threads, (threads) => {
      if (reveal(threads)) {
        stop()
      }
    })
  }

  // A thread link to the document already open (an inbox mention) changes only the query.
  watch(
    () => route.query.thread,
    () => {
      if (room.value !== null) {
        openLinkedThread(room.value)
      }
    },
  )

  return {
    draftComment,
    openComposer,
    onPreview,
    onPropose,
    onCommit,
    onComposerCancel,
    onUnsupported,
    suggestEdit,
    suggestDelete,
    startComment,
    openLinkedThread,
  }
}
