/**
 * One socket's send queue with flow control. Messages go straight to ws while its buffer is small
 * (the common case: a keystroke's update costs one `ws.send`); past SOCKET_HIGH_WATER they wait
 * here and are written as the socket drains, large ones in WebSocket fragments of FRAGMENT_BYTES
 * (one message for the client, written piecewise, so ws never buffers a whole 20 MB answer).
 *
 * What waits here is bounded: a sync answer (at most one full document per connection, see
 * Room.answerStep1) is not counted, everything else is capped at MAX_BUFFERED_BYTES, past which
 * the consumer is too slow and `onOverflow` closes it. Because so little sits in ws's own buffer,
 * the close frame reaches the client right behind it, instead of behind megabytes it cannot read.
 *
 * @example
 *   const outbox = new Outbox(socket, () => connection.close(CloseEvents.slowConsumer))
 *   outbox.send(update)
 *   outbox.sendAnswer([header, cachedDocument])
 */
import type { Socket } from 'node:net'
import type WebSocket from 'ws'
import { MAX_BUFFERED_BYTES } from '../../shared/limits'
import type { Broadcast } from './Broadcast'
import { frameWriter } from './Broadcast'

/** ws's buffer size above which messages wait in the outbox instead. */
export const SOCKET_HIGH_WATER = 1024 * 1024
/** Largest piece of a message written at once (a WebSocket fragment). */
export const FRAGMENT_BYTES = 256 * 1024
/**
 * What a waiting message costs at least, in bytes against MAX_BUFFERED_BYTES: its bookkeeping. A
 * reader that never reads must not queue millions of five-byte receipts under the byte cap.
 */
const ENTRY_COST = 256
/** ws's buffer size from which a direct write asks to be told when it has gone. */
const WAKE_WATER = SOCKET_HIGH_WATER / 2
const BINARY = { binary: true } as const

interface Outgoing {
  /** The message, in parts written in order (an answer: its header, then the encoded update). */
  readonly parts: readonly Uint8Array[]
  readonly bytes: number
  /** A sync answer: not counted against MAX_BUFFERED_BYTES. */
  readonly answer: boolean
}

/** A flow-controlled send queue over one ws socket. */
export class Outbox {
  private readonly queue: Outgoing[] = []
  /** Bytes waiting here, sync answers excepted. */
  private queuedBytes = 0
  /** Where the head message's writing stands: part index and offset within it. */
  private part = 0
  private offset = 0
  private stopped = false
  /** Called by ws once a write has left for the network: room for more, maybe. */
  private readonly written = (): void => this.pump()
  /** Where a prebuilt frame may be written directly (null: through ws). */
  private readonly writer: Socket | null

  constructor(
    private readonly socket: WebSocket,
    /** Told when the queue outgrows MAX_BUFFERED_BYTES; it should close the connection. */
    private readonly onOverflow: () => void,
    private readonly maxQueuedBytes = MAX_BUFFERED_BYTES,
  ) {
    this.writer = frameWriter(socket)
  }

  /** Sends one message, at once when the socket keeps up. */
  send(message: Uint8Array): void {
    if (this.stopped) {
      return
    }
    const buffered = this.socket.bufferedAmount
    if (this.queue.length === 0 && buffered < SOCKET_HIGH_WATER) {
      // Only a write that leaves ws's buffer well filled must wake the queue once it has gone: the
      // last write before anything waits here is always one of those (the fan-out of a keystroke
      // to an idle socket is not, and pays for no callback).
      const wake = buffered + message.length >= WAKE_WATER ? this.written : undefined
      this.socket.send(message, BINARY, wake)
      return
    }
    this.enqueue({ parts: [message], bytes: message.length, answer: false })
  }

  /**
   * Sends a message framed once for many sockets: its frame in one write when the socket keeps up
   * (nothing waits here, so the frame goes out in order), else its payload like any other message.
   */
  sendBroadcast(message: Broadcast): void {
    if (this.stopped) {
      return
    }
    const buffered = this.socket.bufferedAmount
    if (this.writer !== null && this.queue.length === 0 && buffered < SOCKET_HIGH_WATER) {
      const wake = buffered + message.frame.length >= WAKE_WATER ? this.written : undefined
      this.writer.write(message.frame, wake)
      return
    }
    this.send(message.payload)
  }

  /** Sends a sync answer made of `parts` (a header and an encoded update shared with others). */
  sendAnswer(parts: readonly Uint8Array[]): void {
    if (this.stopped) {
      return
    }
    this.enqueue({ parts, bytes: parts.reduce((sum, p) => sum + p.length, 0), answer: true })
  }

  /** Drops everything waiting and sends nothing more (the connection is closing). */
  stop(): void {
    this.stopped = true
    this.queue.length = 0
    this.queuedBytes = 0
  }

  private enqueue(item: Outgoing): void {
    this.queue.push(item)
    if (!item.answer) {
      this.queuedBytes += Math.max(item.bytes, ENTRY_COST)
      if (this.queuedBytes > this.maxQueuedBytes) {
        this.onOverflow()
        return
      }
    }
    this.pump()
  }

  /** Writes waiting messages, piece by piece, while ws's buffer stays below the high-water mark. */
  private pump(): void {
    if (this.socket.readyState !== this.socket.OPEN) {
      // Closed by the peer or the network: nothing queued can be delivered any more.
      this.stop()
      return
    }
    while (!this.stopped && this.socket.bufferedAmount < SOCKET_HIGH_WATER) {
      const head = this.queue[0]
      if (head === undefined) {
        return
      }
      const part = head.parts[this.part]
      if (part === undefined) {
        this.finishHead(head)
        continue
      }
      const end = Math.min(part.length, this.offset + FRAGMENT_BYTES)
      const last = end === part.length && this.part === head.parts.length - 1
      // While a message is written in fragments nothing else may be interleaved (RFC 6455 §5.4),
      // which holds because only the queue's head is ever written.
      this.socket.send(part.subarray(this.offset, end), { binary: true, fin: last }, this.written)
      if (end < part.length) {
        this.offset = end
      } else {
        this.part++
        this.offset = 0
      }
      if (last) {
        this.finishHead(head)
      }
    }
  }

  private finishHead(head: Outgoing): void {
    this.queue.shift()
    this.part = 0
    this.offset = 0
    if (!head.answer) {
      this.queuedBytes -= Math.max(head.bytes, ENTRY_COST)
    }
  }
}
