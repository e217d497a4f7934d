/**
 * A connection's messages handled one at a time, in the order they came: a message whose handling
 * waits (a save barrier waiting for durability, an update whose client ids are being claimed) holds
 * back that connection's later messages, never another connection's.
 *
 * @example
 *   connection.inbox.push(data)
 *   if (!connection.handling) drainInbox(connection, handle, onBadMessage)
 */
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { Connection } from './Connection'

/** Handles one message; @returns a promise when the handling waits for something. */
export type HandleMessage = (connection: Connection, data: Uint8Array) => Promise<void> | undefined

/**
 * Handles a connection's queued messages until the queue is empty or the connection closes. A loop,
 * not an async function: most messages need no waiting, and a promise per keystroke was garbage.
 * When one waits, the rest of the queue is drained once it settles.
 * @param onBadMessage told when a message turns out malformed (or its handling threw)
 */
export function drainInbox(
  connection: Connection,
  handle: HandleMessage,
  onBadMessage: (connection: Connection, error: unknown) => void,
): void {
  connection.handling = true
  for (;;) {
    const data = connection.inbox.shift()
    if (data === undefined || !connection.isOpen) {
      break
    }
    connection.inboxBytes -= data.length
    let waiting: Promise<void> | undefined
    try {
      const started = performance.now()
      if (!connection.work.allows(started)) {
        // Expensive messages in a row: the relay's time goes to others first.
        connection.close(CloseEvents.rateLimited)
        break
      }
      waiting = handle(connection, data)
      connection.work.spend(performance.now() - started)
    } catch (error) {
      onBadMessage(connection, error)
      break
    }
    if (waiting !== undefined) {
      waiting.then(
        () => drainInbox(connection, handle, onBadMessage),
        (error: unknown) => {
          onBadMessage(connection, error)
          stopDraining(connection)
        },
      )
      return
    }
  }
  stopDraining(connection)
}

function stopDraining(connection: Connection): void {
  connection.handling = false
  if (!connection.isOpen) {
    connection.inbox.length = 0
    connection.inboxBytes = 0
  }
}
