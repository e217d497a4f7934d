/**
 * Moves the delivery of document updates (to the relay, to other tabs, to the IndexedDB copy) out
 * of the keystroke: the handlers that y-websocket and y-indexeddb attach to the Y.Doc run after the
 * next frame is painted instead of inside the transaction.
 *
 * Why: every keystroke is a Y transaction, and its delivery (encoding, the WebSocket send, the
 * BroadcastChannel copy, the IndexedDB write) ran before the browser could paint the typed
 * character. Done after the frame, the character appears first; the update still leaves within
 * one frame (about 16 ms), and in the order it was made.
 *
 * `flush()` delivers at once: before a barrier (which must follow the updates it confirms), and
 * when the document is closed or the page goes away.
 */
import type * as Y from 'yjs'
import { afterNextFrame } from './afterFrame'

/** A handler of the Y.Doc's `update` event. */
export type UpdateHandler = (update: Uint8Array, origin: unknown) => void

/** The outbox of one document. */
export class UpdateOutbox {
  private queue: { update: Uint8Array; origin: unknown }[] = []
  /** Cancels the scheduled delivery (null when none is scheduled). */
  private scheduled: (() => void) | null = null
  private readonly onUpdate: UpdateHandler = (update, origin) => {
    this.queue.push({ update, origin })
    this.schedule()
  }

  /**
   * Takes `handlers` off the document's `update` event and delivers to them from the outbox.
   * @param handlers in the order they are to run for each update
   */
  constructor(
    private readonly doc: Y.Doc,
    private readonly handlers: readonly UpdateHandler[],
  ) {
    for (const handler of handlers) {
      doc.off('update', handler)
    }
    doc.on('update', this.onUpdate)
  }

  /** Whether updates wait for delivery. */
  get pending(): boolean {
    return this.queue.length > 0
  }

  /**
   * Runs `apply` without the outbox listening: updates made meanwhile are not delivered to the
   * handlers (the caller takes care of them). Queued ones are delivered first.
   */
  withoutDelivery(apply: () => void): void {
    this.flush()
    this.doc.off('update', this.onUpdate)
    try {
      apply()
    } finally {
      this.doc.on('update', this.onUpdate)
    }
  }

  /** Queues an update made while the outbox was not listening (see withoutDelivery). */
  deliverLater(update: Uint8Array, origin: unknown): void {
    this.onUpdate(update, origin)
  }

  /** Delivers every queued update now, in order. */
  flush(): void {
    this.cancel()
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      for (const { update, origin } of batch) {
        for (const handler of this.handlers) {
          handler(update, origin)
        }
      }
    }
  }

  /** Delivers what is queued and gives the handlers back to the document. */
  destroy(): void {
    this.flush()
    this.doc.off('update', this.onUpdate)
    for (const handler of this.handlers) {
      this.doc.on('update', handler)
    }
  }

  private schedule(): void {
    if (this.scheduled !== null) {
      return
    }
    this.scheduled = afterNextFrame(() => {
      this.scheduled = null
      this.flush()
    })
  }

  private cancel(): void {
    this.scheduled?.()
    this.scheduled = null
  }
}
