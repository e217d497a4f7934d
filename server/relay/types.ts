/**
 * The relay's hook interface (after Hocuspocus): extensions run in order, one concern each.
 * A rejection from `onAuthenticate` refuses the connection with its close event.
 */
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import type { RoomAccess } from '../../shared/domain/permissions'
import type { RoomName } from '../../shared/protocol/rooms'
import type { AccountRole } from '../../shared/domain/roles'
import type { Connection } from './Connection'
import type { Room } from './Room'
import type { decodeUpdate } from 'yjs'
import type { AuditActor } from '../audit/AuditService'
import type { Refusal } from '../audit/RefusalAuditor'

/** Who is connecting, as established by authentication. */
export interface ConnectionIdentity {
  readonly userId: string
  readonly username: string
  readonly displayName: string
  readonly roles: readonly AccountRole[]
  /** SHA-256 of the session token the socket was opened with. */
  readonly tokenHash: string
  readonly access: RoomAccess
}

/** What an upgrade request asks for. */
export interface UpgradeRequest {
  readonly room: RoomName
  readonly roomName: string
  readonly token: string
  readonly remoteAddress: string
}

/** Thrown by hooks to refuse a connection or close one, with the close event to send. */
export class RelayRefusal extends Error {
  /**
   * @param event the close event to send
   * @param actor who was refused, when known (for the audit: a known user refused a room)
   */
  constructor(
    readonly event: CloseEvent,
    readonly actor: AuditActor | null = null,
  ) {
    super(event.reason)
    this.name = 'RelayRefusal'
  }
}

/** Where the relay reports the refusals it audits (RefusalAuditor: de-duplicated, never throws). */
export interface RefusalSink {
  refuse(refusal: Refusal): void
}

/** The verdict of `onMessage` hooks. */
export type MessageVerdict =
  /** Handle the message. */
  | 'accept'
  /** Ignore this message but keep the connection. */
  | 'drop'
  /** Close the connection with this event. */
  | CloseEvent

/** The verdict of `beforeApplyUpdate` hooks: apply, or refuse and close with this event. */
export type UpdateVerdict = 'accept' | CloseEvent

/** A document update a client sent, with its structs decoded once for every hook. */
export interface IncomingUpdate {
  /** The update as received (Yjs update format v1). */
  readonly update: Uint8Array
  /**
   * `Y.decodeUpdate(update)`: the structs and delete set, not integrated. Decoded on first use, so
   * a large catch-up is never decoded whole on the relay's main thread unless a hook asks.
   */
  readonly decoded: ReturnType<typeof decodeUpdate>
  /**
   * What to apply instead of `update`, set by a `beforeApplyUpdate` hook that judged the update and
   * rewrote it (e.g. without parts that must wait); null applies nothing this round. Left unset,
   * `update` is applied as received.
   */
  apply?: Uint8Array | null
  /**
   * Set by a hook that integrates the update in slices: after applying `apply`, the relay serves
   * other messages, then runs the `beforeApplyUpdate` hooks and applies again.
   */
  more?: boolean
}

/** Kinds of incoming message `onMessage` is told about. */
export type IncomingKind = 'sync-read' | 'sync-write' | 'awareness' | 'other'

/** One concern of the relay. All hooks are optional. */
export interface Extension {
  readonly name: string
  /** Establishes identity and access; throws RelayRefusal to refuse. Only one extension should. */
  onAuthenticate?(request: UpgradeRequest): Promise<ConnectionIdentity>
  /** A socket joined its room. */
  onConnect?(connection: Connection): void
  /** A message arrived (`data`: its bytes, not to be kept); the first non-accept verdict wins. */
  onMessage?(
    connection: Connection,
    kind: IncomingKind,
    bytes: number,
    data?: Uint8Array,
  ): MessageVerdict
  /**
   * A connection with write or comment access sent a document update, about to be applied.
   * Synchronous, so updates keep their order; the first refusal wins and closes the connection,
   * and the update is neither applied nor broadcast. A hook may set `incoming.apply` (and
   * `incoming.more`, to be called again for the next slice of a large update).
   */
  beforeApplyUpdate?(connection: Connection, room: Room, incoming: IncomingUpdate): UpdateVerdict
  /**
   * Asynchronous work an update needs before it can be judged (e.g. claiming its Yjs client ids in
   * the database). Runs in the connection's message order; the connection's later messages wait.
   * A refusal closes the connection and the update is neither judged nor applied. Judge the
   * update's effect in `beforeApplyUpdate`, which runs synchronously right before it is applied:
   * the document may change while this hook waits.
   */
  prepareUpdate?(
    connection: Connection,
    room: Room,
    incoming: IncomingUpdate,
  ): Promise<UpdateVerdict> | UpdateVerdict
  /**
   * Before the relay answers a client's sync step 1 (the client's save barrier): resolve once
   * every update this connection sent before it is durable. Runs in the connection's message order.
   */
  beforeSyncAnswer?(connection: Connection, room: Room): Promise<void> | void
  /** A room is being loaded: fill `room.doc` from storage. Its updates carry `room.loadOrigin`. */
  onLoadRoom?(room: Room): Promise<void>
  /** The room's document changed. `origin` is a Connection, or a marker of the extension that applied it. */
  onChange?(room: Room, update: Uint8Array, origin: unknown): void
  /**
   * A socket of `userId` publishes presence under `clientId` for the first time in `roomName`, and
   * this node knows no other owner of it: resolve false if another user owns it (on another node).
   * The socket's presence waits for the answer; its other messages do not.
   */
  claimPresence?(roomName: string, clientId: number, userId: string): Promise<boolean> | boolean
  /** The room's awareness changed; `update` is the awareness update of the changed clients. */
  onAwareness?(room: Room, update: Uint8Array, origin: unknown): void
  /** A socket left (closed for any reason). */
  onDisconnect?(connection: Connection, code: number): void
  /** The room has had no sockets for a while and is about to be dropped from memory. */
  onUnloadRoom?(room: Room): Promise<void>
  /** The relay is shutting down; flush everything. */
  onDestroy?(): Promise<void>
}
