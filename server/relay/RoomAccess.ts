/** The relay's side of its ports (ports.ts): rooms reached by name, and the rooms' events. */
import type * as Y from 'yjs'
import { parseRoom } from '../../shared/protocol/rooms'
import type { Logger } from '../logger'
import type { Room } from './Room'
import type { DocumentStored, RoomEvents, RoomPort } from './ports'
import { SERVER_ORIGIN } from './origins'

/** What RoomAccess needs of the relay. */
export interface RoomSource {
  /** Loads a room (or joins its loading). @throws when the relay has stopped */
  room(name: string): Promise<Room>
  /** The room if loaded (or loading) on this node. */
  loaded(name: string): Promise<Room> | undefined
  /** A room was used by the server: unload it later if no socket is in it. */
  used(room: Room): void
}

/** RoomPort and RoomEvents over the relay's rooms. */
export class RoomAccess implements RoomPort, RoomEvents {
  private readonly stored: ((event: DocumentStored) => void)[] = []
  private readonly elsewhere: ((event: DocumentStored) => void)[] = []

  constructor(
    private readonly source: RoomSource,
    private readonly logger: Logger,
  ) {}

  async read<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.source.room(name)
    try {
      return read(room.doc)
    } finally {
      this.source.used(room)
    }
  }

  async peek<T>(name: string, read: (doc: Y.Doc) => T): Promise<T | undefined> {
    const loading = this.source.loaded(name)
    return loading === undefined ? undefined : read((await loading).doc)
  }

  apply(name: string, change: (doc: Y.Doc) => void): Promise<void> {
    return this.change(name, change)
  }

  publish(name: string, write: (doc: Y.Doc) => void): Promise<void> {
    const parsed = parseRoom(name)
    if (parsed === null || parsed.kind === 'doc') {
      // Document rooms are the users'; the server changes them only through `apply`.
      return Promise.reject(new Error(`${name} is not a projection room`))
    }
    return this.change(name, write)
  }

  onDocumentStored(listener: (event: DocumentStored) => void): void {
    this.stored.push(listener)
  }

  onDocumentChangedElsewhere(listener: (event: DocumentStored) => void): void {
    this.elsewhere.push(listener)
  }

  /** Tells the listeners that a room's content was stored (PersistenceExtension, after a commit). */
  roomStored(name: string): void {
    this.tell(this.stored, name, 'documentStored')
  }

  /** Tells the listeners that another node changed a room (RedisExtension). */
  roomChangedElsewhere(name: string): void {
    this.tell(this.elsewhere, name, 'documentChangedElsewhere')
  }

  private tell(
    listeners: readonly ((event: DocumentStored) => void)[],
    name: string,
    event: string,
  ): void {
    if (listeners.length === 0) {
      return
    }
    const parsed = parseRoom(name)
    if (parsed?.kind !== 'doc') {
      return
    }
    for (const listener of listeners) {
      try {
        listener({ documentId: parsed.id })
      } catch (error) {
        this.logger.error(`${event} listener failed`, { room: name, error: String(error) })
      }
    }
  }

  private async change(name: string, change: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.source.room(name)
    try {
      room.doc.transact(() => change(room.doc), SERVER_ORIGIN)
    } finally {
      this.source.used(room)
    }
  }
}
