/**
 * The window title (`document.title`: the desktop's title bar and taskbar, the browser's tab and
 * history): 「page - 齐鲁办公」. Each route names its page (router/windowTitle.ts); a view that shows
 * one thing, such as a document, names that thing instead while it is mounted.
 *
 * @example
 *   // in a view's setup
 *   useWindowTitle(() => (summary.value === null ? null : `《${summary.value.title}》`))
 */
import { computed, getCurrentScope, onScopeDispose, shallowRef } from 'vue'
import type { ComputedRef } from 'vue'

/** Separates the page's name from the app's, as desktop apps do (「通知 - 齐鲁办公」). */
export const TITLE_SEPARATOR = ' - '

/** @returns the window title for a page name ('' or blank: the app's name alone) */
export function composeWindowTitle(page: string, app: string): string {
  const name = page.replace(/\s+/g, ' ').trim()
  return name === '' ? app : `${name}${TITLE_SEPARATOR}${app}`
}

interface ViewTitle {
  readonly title: () => string | null
}

/** The views that name the window, newest last (a view mounts before the one it replaces unmounts). */
const views = shallowRef<readonly ViewTitle[]>([])

/** The name the newest mounted view gives the window, or null to use the route's. */
export const viewWindowTitle: ComputedRef<string | null> = computed(() => {
  for (let index = views.value.length - 1; index >= 0; index--) {
    const title = views.value[index]?.title() ?? null
    if (title !== null && title.trim() !== '') {
      return title
    }
  }
  return null
})

/**
 * Names the window after what the calling view shows, for as long as its scope lives.
 * @param title the name, or null while it is not known (the route's name shows meanwhile)
 */
export function useWindowTitle(title: () => string | null): void {
  const entry: ViewTitle = { title }
  views.value = [...views.value, entry]
  if (getCurrentScope() !== undefined) {
    onScopeDispose(() => {
      views.value = views.value.filter((view) => view !== entry)
    })
  }
}
