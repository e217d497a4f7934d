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
