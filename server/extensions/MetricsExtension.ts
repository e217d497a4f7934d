/** Counters for operations: sockets, messages, updates, drops. */
import type { Connection } from '../relay/Connection'
import type { Extension, IncomingKind, MessageVerdict } from '../relay/types'
import type { Room } from '../relay/Room'

/** A point-in-time copy of the counters. */
export interface MetricsSnapshot {
  readonly connectionsOpened: number
  readonly connectionsClosed: number
  readonly messagesIn: number
  readonly bytesIn: number
  readonly documentUpdates: number
  readonly readerWritesDropped: number
}

/** Counts what passes through the relay. */
export class MetricsExtension implements Extension {
  readonly name = 'metrics'
  private connectionsOpened = 0
  private connectionsClosed = 0
  private messagesIn = 0
  private bytesIn = 0
  private documentUpdates = 0
  private readerWritesDropped = 0

  onConnect(): void {
    this.connectionsOpened++
  }

  onDisconnect(): void {
    this.connectionsClosed++
  }

  onMessage(connection: Connection, kind: IncomingKind, bytes: number): MessageVerdict {
    this.messagesIn++
    this.bytesIn += bytes
    if (kind === 'sync-write' && connection.access === 'read') {
      this.readerWritesDropped++
    }
    return 'accept'
  }

  onChange(_room: Room, _update: Uint8Array, origin: unknown): void {
    if (typeof origin === 'object' && origin !== null) {
      this.documentUpdates++
    }
  }

  /** @returns the counters now. */
  snapshot(): MetricsSnapshot {
    return {
      connectionsOpened: this.connectionsOpened,
      connectionsClosed: this.connectionsClosed,
      messagesIn: this.messagesIn,
      bytesIn: this.bytesIn,
      documentUpdates: this.documentUpdates,
      readerWritesDropped: this.readerWritesDropped,
    }
  }
}
