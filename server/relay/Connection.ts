/** One authenticated socket in one room. */
import WebSocket from 'ws'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { ConnectionIdentity } from './identity'
import { Outbox } from './Outbox'
import type { Broadcast } from './Broadcast'
import { WorkBudget } from './WorkBudget'

/** How long a closing socket may take to answer the close handshake before it is cut (ms). */
const CLOSE_GRACE_MS = 2000
/** The same for a consumer closed for being slow: it needs time to read up to the close frame. */
const SLOW_CLOSE_GRACE_MS = 15_000

let nextId = 1

/** Where a socket's presence claim stands. */
export type PresenceClaim =
  /** It has published no presence of its own yet. */
  | 'none'
  /** Its client id is being checked with the other nodes; its latest state waits. */
  | 'claiming'
  /** It shows presence under `awarenessId`. */
  | 'granted'
  /** Its presence is refused (another user's id, too many of its user's): it shows none. */
  | 'refused'

/** A socket, who opened it, and what it may do. */
export class Connection {
  readonly id = nextId++
  /** The awareness client id this socket publishes (its first free one); null before that. */
  awarenessId: number | null = null
  /** Where the socket's claim of `awarenessId` stands (RoomPresence). */
  presence: PresenceClaim = 'none'
  /** Set false at each ping; a pong sets it back. */
  alive = true
  access: RoomAccess
  /** Messages received and not yet handled, oldest first (the room handles them in this order). */
  readonly inbox: Uint8Array[] = []
  /** Bytes of the messages in `inbox`. */
  inboxBytes = 0
  /** The relay time its messages may still take (a flood of costly messages is closed). */
  readonly work = new WorkBudget()
  /** Whether the room is handling this connection's messages (one at a time). */
  handling = false
  /** Why the relay closed the socket (its own close, or ws's after a protocol error); null while open. */
  closedWith: CloseEvent | null = null
  /** The room's document version when this socket joined (see Room.answerStep1). */
  joinedAtVersion = 0
  /** Whether a sync step 1 of this socket was answered with the document (not just a receipt). */
  answered = false
  private closed = false
  private readonly outbox: Outbox

  constructor(
    readonly socket: WebSocket,
    readonly identity: ConnectionIdentity,
    readonly roomName: string,
  ) {
    this.access = identity.access
    this.outbox = new Outbox(socket, () => this.close(CloseEvents.slowConsumer))
  }

  /** @returns whether the socket is open and not being closed. */
  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === WebSocket.OPEN
  }

  /**
   * Sends one binary message, in order with everything sent before; a consumer too slow to take
   * what is queued for it is closed with `slow_consumer` instead.
   */
  send(message: Uint8Array): void {
    if (this.isOpen) {
      this.outbox.send(message)
    }
  }

  /** Sends a message framed once for the whole room (see Broadcast), in order like `send`. */
  sendBroadcast(message: Broadcast): void {
    if (this.isOpen) {
      this.outbox.sendBroadcast(message)
    }
  }

  /** Sends a sync answer (its header and its update), written piecewise as the socket drains. */
  sendAnswer(parts: readonly Uint8Array[]): void {
    if (this.isOpen) {
      this.outbox.sendAnswer(parts)
    }
  }

  /** Records that ws itself is closing the socket with `event` (a protocol error, 1009). */
  closedBy(event: CloseEvent): void {
    this.closedWith ??= event
    this.closed = true
    this.outbox.stop()
  }

  /** Closes the socket with an event; later calls do nothing. */
  close(event: CloseEvent): void {
    if (this.closed) {
      return
    }
    this.closed = true
    this.closedWith = event
    // What still waits is dropped, so the close frame follows at most ws's small buffer.
    this.outbox.stop()
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    ) {
      this.socket.close(event.code, event.reason)
      // A peer that never answers the close handshake must not hold the socket open.
      const grace = event === CloseEvents.slowConsumer ? SLOW_CLOSE_GRACE_MS : CLOSE_GRACE_MS
      setTimeout(() => this.socket.terminate(), grace).unref()
    }
  }
}
