/** Frame timing helpers of the benchmark page. */

/**
 * Resolves at the end of the next frame: after its requestAnimationFrame callbacks, style, layout
 * and paint (a message posted from rAF is handled after the frame was produced).
 * @returns performance.now() at that moment
 */
export function afterNextPaint(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => resolve(performance.now())
      channel.port2.postMessage(null)
    })
  })
}

/** Resolves after the browser had a chance to paint and run its other tasks. */
export function yieldToBrowser(): Promise<void> {
  return afterNextPaint().then(() => undefined)
}

interface PostTaskScheduler {
  postTask(callback: () => void, options: { priority: 'user-blocking' }): Promise<void>
}

function postTaskScheduler(): PostTaskScheduler | null {
  const candidate: unknown = Reflect.get(globalThis, 'scheduler')
  return typeof candidate === 'object' &&
    candidate !== null &&
    typeof Reflect.get(candidate, 'postTask') === 'function'
    ? (candidate as PostTaskScheduler)
    : null
}

/**
 * Call from a requestAnimationFrame callback: runs `callback` as the first task after that frame
 * (style, layout, paint and the commit to the compositor done). A user-blocking task goes before
 * ordinary ones (timers, messages, IndexedDB) that the page queued meanwhile, which run after the
 * frame and do not delay it.
 */
export function afterFrameCommitted(callback: () => void): void {
  const scheduler = postTaskScheduler()
  if (scheduler !== null) {
    void scheduler.postTask(callback, { priority: 'user-blocking' })
    return
  }
  const channel = new MessageChannel()
  channel.port1.onmessage = () => callback()
  channel.port2.postMessage(null)
}
