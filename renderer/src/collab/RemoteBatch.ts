/**
 * Coalesces what colleagues send while a document is open: their incremental updates, and the
 * presence (carets) that follows them, are applied together at most once per `windowMs`, the
 * updates as one Y transaction.
 *
 * Why: the editor binding turns every Y transaction into a ProseMirror transaction that rebuilds
 * its view of the whole body and lays the page out again. Five colleagues typing send about 50
 * updates a second; applied one by one they take the main thread away from the local typist.
 * Applied in batches, the work is done once per batch, in an idle moment of the main thread (so
 * never between a local keystroke and the frame that shows it), and a colleague's text appears at
 * most `windowMs` + 50 ms later, which nobody notices next to the network's own delay.
 *
 * While this device's user types, a batch waits for the frame of the next keystroke and is applied
 * right after it (`localChange`). An idle moment can come just before the next key, and then the
 * key waits for the batch and its frame shares the batch's layout and paint; right after a
 * keystroke's frame, the batch and its own frame are done long before a person types again
 * (keystrokes come about 100–200 ms apart). Should no key come, the batch is applied after
 * TYPING_WINDOW_MS.
 *
 * Presence is queued behind pending updates (never before them): a caret names a position in text
 * that must already be in the document, or the caret would vanish until the text arrives.
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { afterNextFrame } from './afterFrame'

type Queued =
  | { readonly kind: 'update'; readonly data: Uint8Array }
  | { readonly kind: 'awareness'; readonly data: Uint8Array }

/** Default batching window (ms): at most about 20 remote transactions a second. */
export const REMOTE_BATCH_MS = 50
/** Longest wait for an idle moment after the window (ms). */
const IDLE_WAIT_MS = 50
/** This device's user counts as typing for this long (ms) after their last change. */
export const TYPING_PAUSE_MS = 1000
/** Longest wait of a batch while the user types (ms); the next keystroke's frame comes first. */
export const TYPING_WINDOW_MS = 250

/** The queue of one open document. */
export class RemoteBatch {
  private queue: Queued[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private idle: number | null = null
  /** Cancels the flush scheduled after a local change's frame (null when none is). */
  private afterLocalFrame: (() => void) | null = null
  private lastLocalChange = Number.NEGATIVE_INFINITY

  /**
   * @param doc the document the updates go into
   * @param awareness the presence the presence updates go into
   * @param origin transaction origin of the applied updates (the provider: "came from the relay")
   */
  constructor(
    private readonly doc: Y.Doc,
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly origin: unknown,
    private readonly windowMs = REMOTE_BATCH_MS,
    private readonly report: (error: unknown) => void = reportLater,
  ) {}

  /** Whether anything waits to be applied. */
  get pending(): boolean {
    return this.queue.length > 0
  }

  /** Queues a colleague's incremental update. */
  pushUpdate(update: Uint8Array): void {
    this.queue.push({ kind: 'update', data: update })
    this.schedule()
  }

  /** Queues a presence update (call only while `pending`; otherwise apply it at once). */
  pushAwareness(update: Uint8Array): void {
    this.queue.push({ kind: 'awareness', data: update })
    this.schedule()
  }

  /**
   * Tells the batch that this device changed the document (a keystroke): what is queued is applied
   * in the first task after the frame that shows the change, and the user counts as typing.
   */
  localChange(): void {
    this.lastLocalChange = performance.now()
    if (this.queue.length === 0 || this.afterLocalFrame !== null) {
      return
    }
    this.cancel()
    this.afterLocalFrame = afterNextFrame(() => {
      this.afterLocalFrame = null
      this.flush()
    })
  }

  /** Applies everything queued now (before any other message of the relay is handled). */
  flush(): void {
    this.cancel()
    if (this.queue.length === 0) {
      return
    }
    const queued = this.queue
    this.queue = []
    // Observers run when the outer transaction ends: log their errors too, as y-protocols does.
    this.applyReported(() =>
      Y.transact(
        this.doc,
        () => {
          for (const item of queued) {
            if (item.kind === 'update') {
              this.applyReported(() => Y.applyUpdate(this.doc, item.data, this.origin))
            }
          }
        },
        this.origin,
      ),
    )
    for (const item of queued) {
      if (item.kind === 'awareness') {
        this.applyReported(() =>
          awarenessProtocol.applyAwarenessUpdate(this.awareness, item.data, this.origin),
        )
      }
    }
  }

  /** Drops what is queued (the document is being closed). */
  destroy(): void {
    this.cancel()
    this.queue = []
  }

  /** Applies one message; a malformed one is reported and skipped, as y-protocols does. */
  private applyReported(apply: () => void): void {
    try {
      apply()
    } catch (error) {
      this.report(error)
    }
  }

  private schedule(): void {
    if (this.timer !== null || this.idle !== null || this.afterLocalFrame !== null) {
      return
    }
    const typing = performance.now() - this.lastLocalChange < TYPING_PAUSE_MS
    // Collect for the window, then apply when the main thread is idle: after the frame that
    // shows a keystroke, never between the keystroke and its frame (at most IDLE_WAIT_MS later).
    // While the user types, the next keystroke's frame normally applies the batch before that.
    this.timer = setTimeout(
      () => {
        this.timer = null
        if (typeof requestIdleCallback !== 'function') {
          this.flush()
          return
        }
        this.idle = requestIdleCallback(
          () => {
            this.idle = null
            this.flush()
          },
          { timeout: IDLE_WAIT_MS },
        )
      },
      typing ? Math.max(this.windowMs, TYPING_WINDOW_MS) : this.windowMs,
    )
  }

  private cancel(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.idle !== null) {
      cancelIdleCallback(this.idle)
      this.idle = null
    }
    this.afterLocalFrame?.()
    this.afterLocalFrame = null
  }
}

/** Reports an error as uncaught (the console shows it) without stopping the batch. */
function reportLater(error: unknown): void {
  setTimeout(() => {
    throw error
  })
}
