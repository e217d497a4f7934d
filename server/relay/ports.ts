/**
 * What the rest of the server may do with rooms and sockets, without knowing the relay (after
 * Hocuspocus's server-side document API): read a document, apply a server change, publish a
 * projection, hear when a document's content was stored, and tell the relay when authoritative
 * state changed under open sockets. Services depend on these interfaces only; the relay implements
 * them (RoomAccess, extensions/SocketControl.ts; RedisExtension fans the control out to other nodes).
 *
 * @example
 *   const text = await rooms.read(docRoom(id), (doc) => indexedText(doc))
 *   await rooms.publish(`inbox:${userId}`, (doc) => doc.getMap('items').set(item.id, item))
 *   events.onDocumentStored(({ documentId }) => search.schedule(documentId))
 */
import type * as Y from 'yjs'
import type { RoomName } from '../../shared/protocol/rooms'

/** Rooms as services see them. Room names are those of shared/protocol/rooms.ts. */
export interface RoomPort {
  /**
   * Reads a room's live document, loading the room when it is not in memory. `read` must not
   * change the document.
   * @throws when the relay has stopped
   */
  read<T>(room: string, read: (doc: Y.Doc) => T): Promise<T>
  /** Reads a room's document only when it is in memory on this node; undefined otherwise. */
  peek<T>(room: string, read: (doc: Y.Doc) => T): Promise<T | undefined>
  /**
   * Applies a server change to a document room (a restore): fanned out, persisted, versioned and
   * judged like any other update, with the server as its origin.
   * @throws when the relay has stopped
   */
  apply(room: string, change: (doc: Y.Doc) => void): Promise<void>
  /**
   * Publishes the server's projection into a room only the server writes (directory:, inbox:, …):
   * `write` brings the room's content up to date.
   * @throws when the relay has stopped
   */
  publish(room: string, write: (doc: Y.Doc) => void): Promise<void>
}

/** A document room's content was committed to the update log by this node. */
export interface DocumentStored {
  readonly documentId: string
}

/** Events of the rooms that services subscribe to. */
export interface RoomEvents {
  /** Calls `listener` after each commit that stored a document room's content. */
  onDocumentStored(listener: (event: DocumentStored) => void): void
  /**
   * Calls `listener` when another relay node changed a document room loaded here (that node
   * stores the change, and hears its own documentStored event for it).
   */
  onDocumentChangedElsewhere(listener: (event: DocumentStored) => void): void
}

/** What services tell the live relay when authoritative state changes under open sockets. */
export interface RelayControl {
  /** Closes every socket opened with this session. */
  sessionEnded(tokenHash: string): void
  /** Closes every socket of this user. */
  userDeactivated(userId: string): void
  /** Re-checks this user's access to this document's room on their open sockets. */
  memberChanged(documentId: string, userId: string): void
  /** Re-checks the access of every socket in this document's room (a unit grant changed). */
  unitAccessChanged(documentId: string): void
  /**
   * Closes every socket in this document's room because the document went to the 回收站
   * (`deleted`: 4403 document_deleted, its room refuses new ones) or was archived (`archived`:
   * 4403 document_archived; clients reopen it read-only).
   */
  documentLifecycle(documentId: string, change: DocumentLifecycleChange): void
  /**
   * Re-checks sockets of projection rooms whose readers may have changed (an approval's stage
   * moved on, a delegation ended): those in `room`, or in every room of `kind`, of `userId` when
   * given. A socket that lost access closes with 4403.
   */
  readersChanged(target: ReadersChange): void
}

/** What happened to a document that ends its sockets. */
export type DocumentLifecycleChange = 'deleted' | 'archived'

/** Which projection sockets `RelayControl.readersChanged` re-checks. */
export interface ReadersChange {
  /** One room by name (`approval:<id>`)… */
  readonly room?: string
  /** …or every room of a kind (`doc`: readers through an approval, DocumentReaders). */
  readonly kind?: 'approval' | 'meeting' | 'doc'
  /** Only this user's sockets; every user's when absent. */
  readonly userId?: string
}

/**
 * Who may read the projection rooms a feature keeps (`meeting:<id>`: its invitees, their deputies
 * and its organiser), and who reads a `doc:<id>` room they are no member of because a feature
 * grants it for now (a running approval's assignees and their deputies, 代: read only). The relay
 * asks through this port when a socket joins and when readers change; it never imports the
 * feature's services.
 */
export interface ProjectionReaders {
  /** @returns whether `userId` may read `room` (false for kinds this port does not judge). */
  mayRead(room: RoomName, userId: string): Promise<boolean>
}
