/**
 * The relay's hook interface (after Hocuspocus): extensions, one concern each, run in the order of
 * their `priority` (highest first). Every hook takes one payload object. A rejection from
 * `onAuthenticate` refuses the connection with its close event.
 *
 * @example
 *   class Stamp implements Extension {
 *     readonly name = 'stamp'
 *     readonly priority = 50
 *     onChange({ room, update, origin }: ChangePayload): void { … }
 *   }
 */
import type * as Y from 'yjs'
import type { Connection } from './Connection'
import type { Room } from './Room'
import type { ConnectionIdentity, UpgradeRequest } from './identity'
import type { IncomingKind, IncomingUpdate, MessageVerdict, UpdateVerdict } from './verdicts'

/** The priority of an extension that declares none. */
export const DEFAULT_PRIORITY = 100

/** A socket joined its room, or left it. */
export interface ConnectionPayload {
  readonly connection: Connection
}

/** A socket left (closed for any reason) with this close code. */
export interface DisconnectPayload extends ConnectionPayload {
  readonly code: number
}

/** A message arrived: its kind and size, and its bytes (not to be kept). */
export interface MessagePayload extends ConnectionPayload {
  readonly kind: IncomingKind
  readonly bytes: number
  readonly data: Uint8Array
}

/** A room is being loaded or unloaded. */
export interface RoomPayload {
  readonly room: Room
}

/** A socket of a room: its save barrier. */
export interface SyncPayload extends RoomPayload, ConnectionPayload {}

/** A document update a socket sent to its room. */
export interface UpdatePayload extends RoomPayload, ConnectionPayload {
  readonly incoming: IncomingUpdate
}

/** The room's document or awareness changed. `origin`: a Connection, or a symbol of origins.ts. */
export interface ChangePayload extends RoomPayload {
  readonly update: Uint8Array
  readonly origin: unknown
  /**
   * The Yjs transaction that made a document change (what `update` encodes: the structs from its
   * `beforeState` to its `afterState` and its `deleteSet`), so a hook reads who wrote what without
   * decoding `update` again; null for awareness. Read it during the hook only.
   */
  readonly transaction: Y.Transaction | null
}

/** A socket publishes presence under a client id for the first time in a room. */
export interface PresenceClaimPayload {
  readonly roomName: string
  readonly clientId: number
  readonly userId: string
}

/** One concern of the relay. All hooks are optional. */
export interface Extension {
  readonly name: string
  /** Extensions run from the highest priority down (DEFAULT_PRIORITY when absent). */
  readonly priority?: number
  /** Establishes identity and access; throws RelayRefusal to refuse. Only one extension should. */
  onAuthenticate?(request: UpgradeRequest): Promise<ConnectionIdentity>
  /** A socket joined its room. */
  onConnect?(payload: ConnectionPayload): void
  /** A message arrived; the first non-accept verdict wins. */
  onMessage?(payload: MessagePayload): MessageVerdict
  /**
   * A connection with write or comment access sent a document update, about to be applied.
   * Synchronous, so updates keep their order; the first refusal wins and closes the connection,
   * and the update is neither applied nor broadcast. A hook may set `incoming.apply` (and
   * `incoming.more`, to be called again for the next slice of a large update).
   */
  beforeApplyUpdate?(payload: UpdatePayload): UpdateVerdict
  /**
   * Asynchronous work an update needs before it can be judged (e.g. claiming its Yjs client ids in
   * the database). Runs in the connection's message order; the connection's later messages wait.
   * A refusal closes the connection and the update is neither judged nor applied. Judge the
   * update's effect in `beforeApplyUpdate`, which runs synchronously right before it is applied:
   * the document may change while this hook waits.
   */
  prepareUpdate?(payload: UpdatePayload): Promise<UpdateVerdict> | UpdateVerdict
  /**
   * Before the relay answers a client's sync step 1 (the client's save barrier): resolve once
   * every update this connection sent before it is durable. Runs in the connection's message order.
   */
  beforeSyncAnswer?(payload: SyncPayload): Promise<void> | void
  /** A room is being loaded: fill `room.doc` from storage. Its updates carry LOAD_ORIGIN. */
  onLoadRoom?(payload: RoomPayload): Promise<void>
  /** The room's document changed. */
  onChange?(payload: ChangePayload): void
  /**
   * A socket publishes presence under a client id for the first time in a room, and this node
   * knows no other owner of it: resolve false if another user owns it (on another node). The
   * socket's presence waits for the answer; its other messages do not.
   */
  claimPresence?(payload: PresenceClaimPayload): Promise<boolean> | boolean
  /** The room's awareness changed; `update` is the awareness update of the changed clients. */
  onAwareness?(payload: ChangePayload): void
  /** A socket left (closed for any reason). */
  onDisconnect?(payload: DisconnectPayload): void
  /** The room has had no sockets for a while and is about to be dropped from memory. */
  onUnloadRoom?(payload: RoomPayload): Promise<void>
  /** The relay is shutting down; flush everything. */
  onDestroy?(): Promise<void>
}
