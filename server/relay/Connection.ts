/** One authenticated socket in one room. */
import WebSocket from 'ws'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { MAX_BUFFERED_BYTES } from '../../shared/limits'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { ConnectionIdentity } from './types'

let nextId = 1

/** A socket, who opened it, and what it may do. */
export class Connection {
  readonly id = nextId++
  /** Awareness client ids this socket has published; only it may change or remove them. */
  readonly awarenessIds = new Set<number>()
  /** Set false at each ping; a pong sets it back. */
  alive = true
  access: RoomAccess
  /** Messages received and not yet handled, oldest first (the room handles them in this order). */
  readonly inbox: Uint8Array[] = []
  /** Whether the room is handling this connection's messages (one at a time). */
  handling = false
  /** Why the relay closed the socket (its own close, or ws's after a protocol error); null while open. */
  closedWith: CloseEvent | null = null
  private closed = false

  constructor(
    readonly socket: WebSocket,
    readonly identity: ConnectionIdentity,
    readonly roomName: string,
  ) {
    this.access = identity.access
  }

  /** @returns whether the socket is open and not being closed. */
  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN
  }

  /** Sends one binary message; a consumer too slow to drain its queue is closed instead. */
  send(message: Uint8Array): void {
    if (!this.isOpen) {
      return
    }
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseEvents.rateLimited)
      return
    }
    this.socket.send(message, { binary: true })
  }

  /** Records that ws itself is closing the socket with `event` (a protocol error, 1009). */
  closedBy(event: CloseEvent): void {
    this.closedWith ??= event
    this.closed = true
  }

  /** Closes the socket with an event; later calls do nothing. */
  close(event: CloseEvent): void {
    if (this.closed) {
      return
    }
    this.closed = true
    this.closedWith = event
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    ) {
      this.socket.close(event.code, event.reason)
      // A peer that never answers the close handshake must not hold the socket open.
      setTimeout(() => this.socket.terminate(), 2000).unref()
    }
  }
}
