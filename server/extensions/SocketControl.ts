/**
 * RelayControl on this node's sockets: closes them when their session or account ends, and
 * re-checks their room access when a document's ACL changes or a feature's readers change (an
 * approval moved on, a delegation ended: a socket that lost access closes with 4403; one whose
 * role changed keeps going with the new access).
 */
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { docRoom, parseRoom } from '../../shared/protocol/rooms'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import type { Connection } from '../relay/Connection'
import type {
  DocumentLifecycleChange,
  ProjectionReaders,
  ReadersChange,
  RelayControl,
} from '../relay/ports'
import type { Logger } from '../logger'
import type { Storage } from '../storage/Storage'
import { accessNow } from './accessNow'

/** The sockets of the relay, as SocketControl reaches them. */
export interface Sockets {
  closeWhere(predicate: (connection: Connection) => boolean, event: CloseEvent): number
  connectionsOf(userId: string, roomName: string): Connection[]
  connectionsIn(roomName: string): Connection[]
  connectionsWhere(predicate: (connection: Connection) => boolean): Connection[]
}

/** Sockets follow sessions, accounts and ACLs. */
export class SocketControl implements RelayControl {
  /** Who reads the features' projection rooms (set once the features exist). */
  private readers: ProjectionReaders | undefined

  constructor(
    private readonly sockets: Sockets,
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  /** Gives the features' ProjectionReaders (built after this control). */
  useReaders(readers: ProjectionReaders): void {
    this.readers = readers
  }

  readersChanged(target: ReadersChange): void {
    const connections = this.sockets.connectionsWhere(
      (c) =>
        (target.room === undefined || c.roomName === target.room) &&
        (target.kind === undefined || c.roomName.startsWith(`${target.kind}:`)) &&
        (target.userId === undefined || c.identity.userId === target.userId),
    )
    for (const connection of connections) {
      const room = parseRoom(connection.roomName)
      if (
        room === null ||
        (room.kind !== 'approval' && room.kind !== 'meeting' && room.kind !== 'doc')
      ) {
        continue
      }
      const { userId, roles } = connection.identity
      accessNow(this.storage, room, userId, roles, this.readers).then(
        (access) => {
          if (access === 'none') {
            connection.close(CloseEvents.forbidden)
          } else if (room.kind === 'doc') {
            connection.access = access
          }
        },
        (error: unknown) =>
          this.logger.warn('access re-check failed', {
            room: connection.roomName,
            error: String(error),
          }),
      )
    }
  }

  sessionEnded(tokenHash: string): void {
    this.sockets.closeWhere((c) => c.identity.tokenHash === tokenHash, CloseEvents.unauthorized)
  }

  userDeactivated(userId: string): void {
    this.sockets.closeWhere((c) => c.identity.userId === userId, CloseEvents.deactivated)
  }

  memberChanged(documentId: string, userId: string): void {
    this.recheck(documentId, this.sockets.connectionsOf(userId, docRoom(documentId)))
  }

  unitAccessChanged(documentId: string): void {
    this.recheck(documentId, this.sockets.connectionsIn(docRoom(documentId)))
  }

  documentLifecycle(documentId: string, change: DocumentLifecycleChange): void {
    const event = change === 'deleted' ? CloseEvents.documentDeleted : CloseEvents.documentArchived
    for (const connection of this.sockets.connectionsIn(docRoom(documentId))) {
      connection.close(event)
    }
  }

  private recheck(documentId: string, connections: readonly Connection[]): void {
    const room = parseRoom(docRoom(documentId))
    if (room === null) {
      return
    }
    for (const connection of connections) {
      // Each socket's own user: a unit grant reaches some of the room's users and not others.
      const { userId, roles } = connection.identity
      accessNow(this.storage, room, userId, roles, this.readers).then(
        (access) => {
          if (access === 'none') {
            connection.close(CloseEvents.forbidden)
          } else {
            connection.access = access
          }
        },
        (error: unknown) =>
          this.logger.warn('access re-check failed', { documentId, error: String(error) }),
      )
    }
  }
}
