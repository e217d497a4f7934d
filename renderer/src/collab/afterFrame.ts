/**
 * Runs work in the first task after the next frame: once the browser has laid out, painted and
 * committed what the current task changed, so the work never delays the frame that shows it.
 */

/** Longest wait when the page paints no frames (a hidden tab, no rAF): run anyway. */
export const HIDDEN_PAGE_DELAY_MS = 50

/**
 * Schedules `callback` for the first task after the next frame (a task posted from
 * requestAnimationFrame runs once the frame is drawn), or after `fallbackMs` when no frame comes.
 * @returns a function that cancels the callback if it has not run yet
 */
export function afterNextFrame(
  callback: () => void,
  fallbackMs = HIDDEN_PAGE_DELAY_MS,
): () => void {
  let frame: number | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const run = (): void => {
    cancel()
    callback()
  }
  const cancel = (): void => {
    if (frame !== null) {
      cancelAnimationFrame(frame)
      frame = null
    }
    if (timer !== null) {
      clearTimeout(timer)
      timer = null
    }
  }
  timer = setTimeout(run, fallbackMs)
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      frame = null
      if (timer !== null) {
        clearTimeout(timer)
        timer = setTimeout(run, 0)
      }
    })
  }
  return cancel
}
