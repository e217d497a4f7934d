/**
 * What the sockets of one room may publish as presence (awareness), DESIGN.md §3:
 *
 * - one client id per socket: the first it publishes that is free — not live in the room (stock
 *   providers echo everyone's presence back, so a socket's messages also carry others' ids, which
 *   are dropped) and not owned by another user (PresenceOwners remembers the owners after they
 *   left, and `claimPresence` hooks ask the other nodes); every other entry is dropped;
 * - at most MAX_PRESENCES_PER_USER sockets of one user show presence in a room;
 * - states are stamped with the authenticated identity and capped in size (the rate is capped by
 *   LimitsExtension).
 *
 * @example
 *   presence.receive(connection, update) // from a MESSAGE_AWARENESS message
 *   presence.leave(connection)
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import { MAX_AWARENESS_BYTES } from '../../shared/limits'
import type { Connection } from './Connection'
import type { PresenceOwners } from './PresenceOwners'
import { readAwareness, stampUser, writeAwareness } from './awarenessFilter'
import { colorFor } from '../../shared/domain/userColor'
import type { AwarenessEntry } from './awarenessFilter'

/** Sockets of one user that may show presence in one room at once. */
export const MAX_PRESENCES_PER_USER = 8

/** What RoomPresence needs of its room. */
export interface PresenceRoom {
  readonly name: string
  readonly awareness: awarenessProtocol.Awareness
  readonly connections: ReadonlySet<Connection>
  /** Applies a judged awareness update of one entry, which the room relays as it is. */
  applyPresence(update: Uint8Array, origin: Connection): void
}

/** The presence rules of one room. */
export class RoomPresence {
  /** The latest entry of a socket whose claim is being checked by the other nodes. */
  private readonly waiting = new WeakMap<Connection, AwarenessEntry>()

  constructor(
    private readonly room: PresenceRoom,
    private readonly owners: PresenceOwners,
    /** Asks the extensions whether another node knows another owner of a client id. */
    private readonly askOwners: (clientId: number, userId: string) => Promise<boolean> | boolean,
  ) {}

  /**
   * Takes an awareness update from a socket of the room and applies what it may publish.
   * @throws on malformed bytes (the caller closes the socket)
   */
  receive(connection: Connection, update: Uint8Array): void {
    if (update.length > MAX_AWARENESS_BYTES) {
      return
    }
    const entries = readAwareness(update)
    if (connection.presence === 'refused') {
      return
    }
    const own =
      connection.awarenessId === null
        ? entries.find((entry) => entry.state !== 'null' && this.isFree(connection, entry.clientId))
        : entries.filter((entry) => entry.clientId === connection.awarenessId).at(-1)
    if (own === undefined) {
      return
    }
    const { identity } = connection
    const stamped = stampUser(own, {
      id: identity.userId,
      name: identity.displayName,
      color: colorFor(identity.userId),
    })
    if (stamped.state.length > MAX_AWARENESS_BYTES) {
      return
    }
    switch (connection.presence) {
      case 'granted':
        this.apply(connection, stamped)
        return
      case 'claiming':
        this.waiting.set(connection, stamped)
        return
      case 'none':
        this.claim(connection, stamped)
    }
  }

  /** Removes the presence a closing socket published. */
  leave(connection: Connection): void {
    const id = connection.awarenessId
    if (id === null || connection.presence !== 'granted') {
      return
    }
    // The claim's lifetime counts from now.
    this.owners.claim(this.room.name, id, connection.identity.userId)
    awarenessProtocol.removeAwarenessStates(this.room.awareness, [id], connection)
  }

  /** Whether `clientId` may become the socket's own: not live in the room, not another user's. */
  private isFree(connection: Connection, clientId: number): boolean {
    if (this.room.awareness.getStates().has(clientId)) {
      return false
    }
    for (const other of this.room.connections) {
      if (other !== connection && other.awarenessId === clientId) {
        return false
      }
    }
    const owner = this.owners.ownerOf(this.room.name, clientId)
    return owner === null || owner === connection.identity.userId
  }

  private claim(connection: Connection, entry: AwarenessEntry): void {
    const { userId } = connection.identity
    let showing = 0
    for (const other of this.room.connections) {
      if (other.identity.userId === userId && other.presence !== 'none') {
        showing++
      }
    }
    if (showing >= MAX_PRESENCES_PER_USER) {
      connection.presence = 'refused'
      return
    }
    connection.awarenessId = entry.clientId
    connection.presence = 'claiming'
    this.waiting.set(connection, entry)
    const verdict = this.askOwners(entry.clientId, userId)
    if (!(verdict instanceof Promise)) {
      this.settle(connection, verdict)
      return
    }
    void verdict.then(
      (granted) => this.settle(connection, granted),
      () => this.settle(connection, false),
    )
  }

  private settle(connection: Connection, granted: boolean): void {
    const entry = this.waiting.get(connection)
    this.waiting.delete(connection)
    const id = connection.awarenessId
    if (
      !granted ||
      id === null ||
      !this.owners.claim(this.room.name, id, connection.identity.userId)
    ) {
      // A refused socket holds no client id (it must not keep the id from its owner).
      connection.presence = 'refused'
      connection.awarenessId = null
      return
    }
    connection.presence = 'granted'
    if (entry !== undefined && connection.isOpen) {
      this.apply(connection, entry)
    }
  }

  private apply(connection: Connection, entry: AwarenessEntry): void {
    if (!this.owners.claim(this.room.name, entry.clientId, connection.identity.userId)) {
      return
    }
    this.room.applyPresence(writeAwareness([entry]), connection)
  }
}
