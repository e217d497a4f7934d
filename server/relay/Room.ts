/** One room in memory: its Y.Doc, its awareness and its sockets. */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { RoomName } from '../../shared/protocol/rooms'
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '../../shared/protocol/messages'
import type { Connection } from './Connection'
import type { IncomingKind, IncomingUpdate, MessageVerdict, UpdateVerdict } from './verdicts'
import { incomingUpdate, messageKind, startRound } from './verdicts'
import { RoomPresence } from './RoomPresence'
import type { PresenceOwners } from './PresenceOwners'
import { EMPTY_UPDATE, SyncAnswers } from './SyncAnswers'
import { LOAD_ORIGIN } from './origins'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { MAX_QUEUED_BYTES, MAX_QUEUED_MESSAGES } from '../../shared/limits'
import { Broadcast } from './Broadcast'
import { drainInbox } from './inbox'
import {
  AWARENESS_PREFIX,
  RECEIPT,
  SYNC_UPDATE_PREFIX,
  awarenessMessage,
  syncUpdateMessage,
} from './roomMessages'

/** A malformed message; the relay closes only the sending socket. */
export class BadMessageError extends Error {}

/**
 * What a room asks of the relay's extensions, bound to the room (ExtensionChain.forRoom runs the
 * extensions' hooks in order with their payloads).
 */
export interface RoomHooks {
  /** The first verdict that is not 'accept', or 'accept'. */
  onMessage(connection: Connection, kind: IncomingKind, data: Uint8Array): MessageVerdict
  /** The first refusal, or 'accept'; a promise while a hook waits. */
  prepareUpdate(
    connection: Connection,
    incoming: IncomingUpdate,
  ): UpdateVerdict | Promise<UpdateVerdict>
  /** The first refusal, or 'accept'. */
  beforeApplyUpdate(connection: Connection, incoming: IncomingUpdate): UpdateVerdict
  /** Resolves when every hook lets the save barrier be answered; undefined when none waits. */
  beforeSyncAnswer(connection: Connection): Promise<void> | undefined
  onChange(update: Uint8Array, origin: unknown, transaction: Y.Transaction): void
  onAwareness(update: Uint8Array, origin: unknown): void
  /** Whether no other node knows another owner of a presence client id. */
  claimPresence(clientId: number, userId: string): Promise<boolean> | boolean
}

/** A room's state and fan-out. */
export class Room {
  /**
   * Document rooms keep deleted content (gc: false): versions, the 留痕 diff between two of them and
   * y-prosemirror's snapshot rendering need the text each author removed. Other rooms collect it.
   */
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** The origin of the updates that load the room from storage. */
  readonly loadOrigin = LOAD_ORIGIN
  /** Readers' write attempts dropped since load (observability). */
  droppedWrites = 0
  private readonly answers: SyncAnswers
  private readonly presence: RoomPresence
  private readonly hooks: RoomHooks
  /** The judged awareness update being applied (applyPresence), relayed as it is. */
  private relaying: Uint8Array | null = null

  constructor(
    readonly name: string,
    readonly parsed: RoomName,
    /** The extensions' hooks, bound to this room. */
    hooksFor: (room: Room) => RoomHooks,
    /** Told when a message turns out malformed (or its handling threw); it closes the socket. */
    private readonly onBadMessage: (connection: Connection, error: unknown) => void,
    /** Who owns which presence client id, kept by the relay beyond this room's life in memory. */
    owners: PresenceOwners,
  ) {
    // The room's name as the document's guid: left out, Yjs makes a random UUID with one call to
    // crypto.getRandomValues per hex digit (lib0's uuidv4), 64 µs a document against 5 with a
    // guid, and 80 ms of the relay's thread in a profile of 500 rooms loading after a restart. No
    // update carries a root document's guid.
    this.doc = new Y.Doc({ gc: parsed.kind !== 'doc', guid: name })
    this.answers = new SyncAnswers(this.doc)
    this.hooks = hooksFor(this)
    this.presence = new RoomPresence(this, owners, (clientId, userId) =>
      this.hooks.claimPresence(clientId, userId),
    )
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    // The relay has no presence of its own.
    this.awareness.setLocalState(null)
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) =>
      this.onAwarenessUpdate(change, origin),
    )
  }

  /**
   * Starts fanning the document's changes out (to sockets and extensions); the relay calls it once
   * the extensions have loaded the room. Loading happens with no `update` listener on the Y.Doc,
   * so Yjs does not encode the whole stored document once more as one update that nobody needs
   * (every extension ignores the load, and no socket has joined yet).
   */
  open(): void {
    this.doc.on(
      'update',
      (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
        this.answers.changed(update)
        this.onDocUpdate(update, origin, transaction)
      },
    )
  }

  /**
   * Takes `whole`, the document's state as one update (a cold load's stored update), as the answer
   * to sockets that have nothing, so the first of them does not wait for the document's encoding.
   * Only before `open`, while nothing else has changed the document.
   */
  primeAnswers(whole: Uint8Array): void {
    this.answers.prime(whole)
  }

  /** Adds a socket and starts the sync handshake with it. */
  join(connection: Connection): void {
    this.connections.add(connection)
    // From now on every change reaches this socket as fan-out (see SyncAnswers).
    connection.joinedAtVersion = this.answers.currentVersion
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    connection.send(encoding.toUint8Array(encoder))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      connection.send(this.encodeAwareness([...states.keys()]))
    }
  }

  /** Removes a socket and the presence it published. */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) {
      return
    }
    this.presence.leave(connection)
  }

  /**
   * Takes one message from a socket of this room. Rate hooks judge it on arrival; it is then handled
   * in the connection's own order: a message whose handling waits (a save barrier waiting for
   * durability, an update whose client ids are being claimed) holds back that connection's later
   * messages, never another connection's. Messages that need no waiting are handled at once.
   * Work queued behind a wait is bounded: a connection with more than MAX_QUEUED_MESSAGES (or
   * MAX_QUEUED_BYTES) waiting is flooding, and is closed with 4429 however slow the relay runs.
   * @throws BadMessageError (or a decoding error) when the bytes are not a valid message
   */
  receive(connection: Connection, data: Uint8Array): void {
    const verdict = this.hooks.onMessage(connection, messageKind(data), data)
    if (verdict === 'drop') {
      return
    }
    if (verdict !== 'accept') {
      connection.close(verdict)
      return
    }
    if (
      connection.inbox.length >= MAX_QUEUED_MESSAGES ||
      connection.inboxBytes + data.length > MAX_QUEUED_BYTES
    ) {
      connection.close(CloseEvents.rateLimited)
      return
    }
    connection.inbox.push(data)
    connection.inboxBytes += data.length
    if (!connection.handling) {
      drainInbox(connection, this.handleMessage, this.onBadMessage)
    }
  }

  /** Handles one message. @returns a promise when the handling waits for something */
  private readonly handleMessage = (
    connection: Connection,
    data: Uint8Array,
  ): Promise<void> | undefined => {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC:
        return this.receiveSync(connection, decoder)
      case MESSAGE_AWARENESS:
        this.presence.receive(connection, decoding.readVarUint8Array(decoder))
        return undefined
      case MESSAGE_QUERY_AWARENESS:
        connection.send(this.encodeAwareness([...this.awareness.getStates().keys()]))
        return undefined
      case MESSAGE_AUTH:
        // Clients have nothing to say on the auth channel.
        return undefined
      default:
        throw new BadMessageError(`unknown message type ${type}`)
    }
  }

  /**
   * Applies a socket's judged presence (one entry, stamped by RoomPresence). The entry's bytes are
   * what y-protocols would encode from the state it applies, so they are relayed as they are,
   * instead of the state being written out again as JSON for the room's sockets and extensions.
   */
  applyPresence(update: Uint8Array, origin: Connection): void {
    this.relaying = update
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin)
    } finally {
      this.relaying = null
    }
  }

  /** Releases the document's memory. */
  destroy(): void {
    this.answers.clear()
    this.awareness.destroy()
    this.doc.destroy()
  }

  private receiveSync(
    connection: Connection,
    decoder: decoding.Decoder,
  ): Promise<void> | undefined {
    const step = decoding.readVarUint(decoder)
    if (step === SYNC_STEP1) {
      const stateVector = decoding.readVarUint8Array(decoder)
      const wait = this.hooks.beforeSyncAnswer(connection)
      if (wait === undefined) {
        this.answerStep1(connection, stateVector)
        return undefined
      }
      return wait.then(() => this.answerStep1(connection, stateVector))
    }
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) {
      throw new BadMessageError(`unknown sync step ${step}`)
    }
    const update = decoding.readVarUint8Array(decoder)
    if (connection.access === 'read' || connection.access === 'none') {
      // Readers' sync updates are dropped: nothing they send reaches the document or others.
      this.droppedWrites++
      return undefined
    }
    const incoming = incomingUpdate(update)
    const prepared = this.hooks.prepareUpdate(connection, incoming)
    if (prepared === 'accept') {
      return this.applyIncoming(connection, incoming)
    }
    if (prepared instanceof Promise) {
      return prepared.then((verdict) => {
        if (verdict !== 'accept') {
          connection.close(verdict)
        } else if (connection.isOpen) {
          return this.applyIncoming(connection, incoming)
        }
        return undefined
      })
    }
    connection.close(prepared)
    return undefined
  }

  /**
   * Answers a sync step 1 with what the client lacks: the document once per socket (an encoding
   * shared between sockets, and the changes it misses), an empty update after that (SyncAnswers).
   * One answer per step 1, in order, as the project's save barriers count them.
   */
  private answerStep1(connection: Connection, stateVector: Uint8Array): void {
    if (!connection.isOpen) {
      return
    }
    const { missed, update } = this.answers.answer(connection, stateVector)
    if (update === EMPTY_UPDATE) {
      // A receipt: queued and capped like any other message (only the document is exempt).
      connection.send(RECEIPT)
      return
    }
    if (missed !== null) {
      connection.send(syncUpdateMessage(missed))
    }
    const header = encoding.createEncoder()
    encoding.writeVarUint(header, MESSAGE_SYNC)
    encoding.writeVarUint(header, SYNC_STEP2)
    encoding.writeVarUint(header, update.length)
    connection.sendAnswer([encoding.toUint8Array(header), update])
  }

  /**
   * Judges an update against the document as it is now and applies it, or refuses it. A large
   * update a hook integrates in slices is judged and applied slice by slice, with the event loop
   * free between slices (other rooms and connections are served meanwhile).
   * @returns a promise while slices remain
   */
  private applyIncoming(
    connection: Connection,
    incoming: IncomingUpdate,
  ): Promise<void> | undefined {
    startRound(incoming)
    const verdict = this.hooks.beforeApplyUpdate(connection, incoming)
    if (verdict !== 'accept') {
      // Refused: neither applied, nor broadcast, nor stored.
      connection.close(verdict)
      return undefined
    }
    // Decode fully before applying unjudged bytes, so malformed ones fail here, not half-way in.
    const update =
      incoming.apply === undefined ? (void incoming.decoded, incoming.update) : incoming.apply
    if (update !== null) {
      Y.applyUpdate(this.doc, update, connection)
    }
    if (incoming.more !== true) {
      return undefined
    }
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      connection.isOpen ? this.applyIncoming(connection, incoming) : undefined,
    )
  }

  private onDocUpdate(update: Uint8Array, origin: unknown, transaction: Y.Transaction): void {
    // Framed once, for every socket but the sender's (and not at all when nobody else is there).
    let message: Broadcast | null = null
    for (const connection of this.connections) {
      if (connection !== origin) {
        message ??= Broadcast.of(SYNC_UPDATE_PREFIX, update)
        connection.sendBroadcast(message)
      }
    }
    this.hooks.onChange(update, origin, transaction)
  }

  private onAwarenessUpdate(change: AwarenessChange, origin: unknown): void {
    const changed = [...change.added, ...change.updated, ...change.removed]
    if (changed.length === 0) {
      return
    }
    const update = this.relaying ?? awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
    if (this.connections.size > 0) {
      const message = Broadcast.of(AWARENESS_PREFIX, update)
      for (const connection of this.connections) {
        connection.sendBroadcast(message)
      }
    }
    this.hooks.onAwareness(update, origin)
  }

  private encodeAwareness(clients: number[]): Uint8Array {
    return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
  }
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}
