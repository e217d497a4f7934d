/**
 * The Vue editor's reactive state is refreshed in idle time instead of two animation frames later.
 *
 * `@tiptap/vue-3`'s Editor tells Vue about a new state (and extension storage) from inside two nested
 * `requestAnimationFrame` callbacks after every transaction: twice per transaction it asks Chromium
 * for a frame, whether or not anything on screen depends on it. With colleagues typing, their
 * changes arrive many times a second, so the page keeps producing frames on the display's beat; a
 * keystroke typed meanwhile then waits for the next beat (up to a frame interval) before its own
 * frame starts, where an idle page starts it at once.
 *
 * Here the same two refs notify Vue once per burst of transactions, in an idle moment after the
 * current work (`requestIdleCallback`, within 100 ms), which requests no frame. Whatever depends on
 * `editor.state` reactively updates a little later; the editor itself, its plugins and listeners
 * (`editor.on('transaction')`, used by the toolbar) are not affected.
 *
 * This replaces two fields of the Editor instance (`reactiveState`, `reactiveExtensionStorage`) of
 * the version in package-lock.json; `tests/renderer/editor/calmReactivity.test.ts` fails if they change.
 */
import { customRef } from 'vue'
import type { Ref } from 'vue'
import type { Editor } from '@tiptap/vue-3'

/** Longest wait for an idle moment (ms). */
const IDLE_TIMEOUT_MS = 100

/** The two refs the Vue editor keeps. */
interface ReactiveEditor {
  reactiveState?: Ref<unknown>
  reactiveExtensionStorage?: Ref<unknown>
}

/** Runs `run` once in the next idle moment, however often it is asked before then. */
function idleOnce(run: () => void): () => void {
  let scheduled = false
  const fire = (): void => {
    scheduled = false
    run()
  }
  return () => {
    if (scheduled) {
      return
    }
    scheduled = true
    if (typeof requestIdleCallback === 'function') {
      requestIdleCallback(fire, { timeout: IDLE_TIMEOUT_MS })
    } else {
      setTimeout(fire, 0)
    }
  }
}

/** @returns a ref that holds each value at once and notifies Vue in idle time */
function idleRef<T>(initial: T): Ref<T> {
  let value = initial
  return customRef<T>((track, trigger) => {
    const notify = idleOnce(trigger)
    return {
      get() {
        track()
        return value
      },
      set(next) {
        value = next
        notify()
      },
    }
  })
}

/**
 * Makes the editor notify Vue in idle time.
 * @returns whether the editor had the two refs (and they were replaced)
 */
export function calmReactivity(editor: Editor): boolean {
  const reactive = editor as unknown as ReactiveEditor
  if (reactive.reactiveState === undefined || reactive.reactiveExtensionStorage === undefined) {
    return false
  }
  reactive.reactiveState = idleRef<unknown>(reactive.reactiveState.value)
  reactive.reactiveExtensionStorage = idleRef<unknown>(reactive.reactiveExtensionStorage.value)
  return true
}
