/**
 * Opening the 修订 suggestion a link names (`?suggestion=<id>`, as inbox notices of suggestions and
 * decisions link to it): the 修订 tab with that suggestion active, and its text selected and
 * scrolled into view once the suggestion has arrived with the room's sync.
 */
import { nextTick, watch } from 'vue'
import type { Ref, ShallowRef } from 'vue'
import { useRoute } from 'vue-router'
import type { BodyRange, GongwenRoom } from '../gongwen/pageview/gongwenRoom'
import type { SideTab } from '../gongwen/pageview/GongwenSidePanel.vue'

/**
 * @returns `locate`, deferred until the editor is on screen: a link is followed as the view mounts
 *   the editor, and ProseMirror cannot scroll a view that is not laid out yet.
 */
export function locateOnceShown(locate: (range: BodyRange) => void): (range: BodyRange) => void {
  return (range) => {
    void nextTick(() => requestAnimationFrame(() => locate(range)))
  }
}

/** What the view binds to. */
export interface LinkedSuggestion {
  /** Opens the suggestion the link names, if any. */
  openLinkedSuggestion(room: GongwenRoom): void
}

export function useLinkedSuggestion(options: {
  room: ShallowRef<GongwenRoom | null>
  sideTab: Ref<SideTab>
  locate: (range: BodyRange) => void
}): LinkedSuggestion {
  const { room, sideTab, locate } = options
  const route = useRoute()
  let stopLooking: (() => void) | null = null

  function openLinkedSuggestion(handle: GongwenRoom): void {
    stopLooking?.()
    stopLooking = null
    const id = route.query.suggestion
    if (typeof id !== 'string' || id === '') {
      return
    }
    sideTab.value = 'suggestions'
    const reveal = (suggestions: GongwenRoom['suggestions']['value']): boolean => {
      const suggestion = suggestions.find((candidate) => candidate.id === id)
      if (suggestion === undefined) {
        return false
      }
      if (suggestion.status === 'open') {
        handle.activate({ kind: 'suggestion', id })
      }
      if (suggestion.range !== null) {
        locate(suggestion.range)
      }
      return true
    }
    if (reveal(handle.suggestions.value)) {
      return
    }
    // The suggestions arrive with the first sync; stop looking once found (or at the next link).
    const stop = watch(handle.suggestions, (suggestions) => {
      if (reveal(suggestions)) {
        stop()
        stopLooking = null
      }
    })
    stopLooking = stop
  }

  // A link to the document already open (a notice clicked in the bell) changes only the query.
  watch(
    () => route.query.suggestion,
    () => {
      if (room.value !== null) {
        openLinkedSuggestion(room.value)
      }
    },
  )

  return { openLinkedSuggestion }
}
