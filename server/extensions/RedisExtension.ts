/**
 * Fans rooms out between relay nodes through Redis pub/sub (DESIGN.md §5). Each loaded room
 * subscribes to its channel; local document and awareness updates are published, remote ones are
 * applied with REMOTE_ORIGIN (so they are sent to local sockets but not persisted twice). A node
 * that loads a room publishes its state vector, and nodes holding the room answer with what it
 * lacks, which closes the window between another node's write and its log flush. Session and
 * membership events cross nodes on a control channel.
 *
 * Presence crosses nodes with its owners: each awareness frame names, per client id, the user who
 * published it, and the receiving node applies only the entries whose owner it does not know to be
 * another user (PresenceOwners), so one node's laxity cannot put a colleague's client id under
 * another name on every node. First claims of a client id are also made in Redis (claimPresence),
 * so a node that never saw a colleague's presence still refuses their id to someone else.
 *
 * Redis going away loses what is published meanwhile. When it is back, each node subscribes its
 * rooms again and publishes their state vectors; the others answer with what it lacks and return
 * their own when they lack something of its (resync), so the outage's updates cross both ways.
 *
 * Frame: 1 byte kind (redisFrames.ts), 16 bytes node id, payload (awareness: redisPresence.ts).
 */
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Logger } from '../logger'
import type {
  ChangePayload,
  Extension,
  PresenceClaimPayload,
  RoomPayload,
  SyncPayload,
} from '../relay/hooks'
import type { Room } from '../relay/Room'
import type { PresenceOwners } from '../relay/PresenceOwners'
import { LOAD_ORIGIN, REMOTE_ORIGIN } from '../relay/origins'
import { PRIORITY } from './priorities'
import type { RelayControl } from '../relay/ports'
import { applyControl, broadcastControl } from './redisControl'
import type { ControlEvent } from './redisControl'
import { applyOwnedAwareness, ownedAwareness } from './redisPresence'
import { requireWhenNeeded } from '../lazyRequire'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { Durability } from './PersistenceExtension'
import { HeldRemoteUpdates } from './HeldRemoteUpdates'
import { claimInRedis } from './presenceClaims'
import { FrameKind } from './redisFrames'

/** Told of the document updates another node made (RoomAccess: the documentChangedElsewhere event). */
export interface ChangedElsewhere {
  roomChangedElsewhere(room: string): void
}

/** How long another node's update is held without word that it is stored before this node stores it (ms). */
const HOLD_MS = 3000
/** How long a node gathers commits before it says how far its updates are stored (ms). */
const STORED_DELAY_MS = 5
const NODE_ID_BYTES = 16

/** Multi-node fan-out over Redis. */
export class RedisExtension implements Extension {
  readonly name = 'redis'
  readonly priority = PRIORITY.redis
  private readonly nodeId = randomBytes(NODE_ID_BYTES)
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly rooms = new Map<string, Room>()
  private relay: { readonly presenceOwners: PresenceOwners } | null = null
  private local: RelayControl | null = null
  private durability: Durability | null = null
  private readonly held = new HeldRemoteUpdates()
  /** The number of the newest update fanned out, and how far the others were told it is stored. */
  private fannedSeq = 0
  private saidStoredSeq = 0
  private elsewhere: ChangedElsewhere | null = null
  private storedTimer: NodeJS.Timeout | null = null
  private sweeper: NodeJS.Timeout | null = null

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    // ioredis is loaded only by relays configured with Redis.
    const { Redis: Client } = requireWhenNeeded<{ Redis: typeof Redis }>('ioredis')
    // Auto-pipelining writes the commands of one turn of the event loop in one write, not one
    // system call (and one wake-up of Redis) per update fanned out.
    this.pub = new Client(url, {
      lazyConnect: false,
      maxRetriesPerRequest: 3,
      enableAutoPipelining: true,
    })
    this.sub = new Client(url, { lazyConnect: false })
    for (const client of [this.pub, this.sub]) {
      client.on('error', (error: Error) =>
        this.logger.warn('redis error', { error: String(error) }),
      )
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.receive(channel.toString(), message),
    )
    // Redis came back (restarted, or the connection dropped): what was published meanwhile is lost.
    let readyBefore = false
    this.sub.on('ready', () => {
      if (readyBefore) {
        void this.resync()
      }
      readyBefore = true
    })
  }

  /**
   * After Redis was away: subscribes every loaded room again and asks the other nodes for what this
   * one lacks. Each of them answers, and returns its own state vector when it lacks something this
   * node has, so updates made on either side during the outage cross both ways whichever node
   * reconnects first.
   */
  private async resync(): Promise<void> {
    const rooms = [...this.rooms.values()]
    this.logger.info('redis is back; resyncing rooms with the other nodes', { rooms: rooms.length })
    try {
      if (rooms.length > 0) {
        await this.sub.subscribe(...rooms.map((room) => this.roomChannel(room.name)))
      }
    } catch (error) {
      // The next 'ready' tries again.
      this.logger.warn('redis resubscribe failed', { error: String(error) })
      return
    }
    for (const room of rooms) {
      if (this.rooms.get(room.name) === room) {
        this.publish(room.name, FrameKind.stateVector, Y.encodeStateVector(room.doc))
      }
    }
  }

  /** Waits until both connections are ready and the control channel is subscribed. */
  async start(relay: { readonly presenceOwners: PresenceOwners }): Promise<void> {
    this.relay = relay
    this.sweeper = setInterval(() => this.adoptStale(), HOLD_MS / 3)
    this.sweeper.unref()
    await this.sub.subscribe(this.controlChannel)
  }

  /** @returns a RelayControl that acts here and on every other node. */
  wrapControl(local: RelayControl): RelayControl {
    this.local = local
    const publish = (event: ControlEvent): void => {
      void this.pub
        .publish(
          this.controlChannel,
          this.frame(FrameKind.control, Buffer.from(JSON.stringify(event))),
        )
        .catch((error: unknown) =>
          this.logger.warn('redis publish failed', { error: String(error) }),
        )
    }
    return broadcastControl(local, publish)
  }

  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    this.rooms.set(room.name, room)
    if (this.sub.status !== 'ready') {
      // Redis is away: the room loads from the database now, and resync() subscribes it and asks
      // the other nodes once Redis is back.
      this.logger.warn('room loaded while redis is away', { room: room.name })
      return
    }
    await this.sub.subscribe(this.roomChannel(room.name))
    // Runs after persistence has loaded the room (extensions run in order): ask the others for the rest.
    this.publish(room.name, FrameKind.stateVector, Y.encodeStateVector(room.doc))
  }

  /**
   * Numbers the updates fanned out with the room log's numbering, and holds the other nodes'
   * until they are stored (HeldRemoteUpdates). Without it, updates go out unnumbered.
   */
  useDurability(durability: Durability): void {
    this.durability = durability
  }

  /** Tells `listener` of each document update that came from another node (SearchService). */
  tellChangesElsewhere(listener: ChangedElsewhere): void {
    this.elsewhere = listener
  }

  onChange({ room, update, origin }: ChangePayload): void {
    if (origin === REMOTE_ORIGIN || origin === LOAD_ORIGIN) {
      return
    }
    const seq = this.durability?.seqOf(room.name) ?? 0
    if (seq === 0) {
      this.publish(room.name, FrameKind.update, update)
      return
    }
    this.fannedSeq = Math.max(this.fannedSeq, seq)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, seq)
    encoding.writeUint8Array(encoder, update)
    this.publish(room.name, FrameKind.updateNumbered, encoding.toUint8Array(encoder))
  }

  /**
   * The room log committed: tell the other nodes how far this node's updates are stored, in one
   * frame for every room (gathered for a moment), if any update fanned out is not yet said stored.
   */
  roomsDurable(): void {
    if (this.fannedSeq > this.saidStoredSeq && this.storedTimer === null) {
      this.storedTimer = setTimeout(() => this.publishStored(), STORED_DELAY_MS)
    }
  }

  /**
   * A client asks whether the room is saved: the other nodes' updates it may have (they reached
   * this node) and that are not known to be stored are stored here first.
   */
  beforeSyncAnswer({ room, connection }: SyncPayload): Promise<void> | undefined {
    const updates = this.held.take(room.name)
    const waiting = this.durability?.adopt(room.name, updates) ?? null
    if (waiting === null) {
      return undefined
    }
    return waiting.then((saved) => {
      if (!saved) {
        connection.close(CloseEvents.storageUnavailable)
      }
    })
  }

  private publishStored(): void {
    this.storedTimer = null
    const durable = Math.min(this.durability?.durableSeq ?? 0, this.fannedSeq)
    if (durable <= this.saidStoredSeq) {
      return
    }
    this.saidStoredSeq = durable
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, durable)
    this.publishTo(
      this.controlChannel,
      this.frame(FrameKind.storedAll, encoding.toUint8Array(encoder)),
    )
  }

  /** Stores the other nodes' updates held too long without word that they are stored. */
  private adoptStale(): void {
    for (const [room, updates] of this.held.takeOlderThan(Date.now() - HOLD_MS)) {
      this.logger.info('storing updates another node did not say it stored', {
        room,
        updates: updates.length,
      })
      void this.durability?.adopt(room, updates)
    }
  }

  onAwareness({ room, update, origin }: ChangePayload): void {
    if (origin === REMOTE_ORIGIN || this.relay === null) {
      return
    }
    const payload = ownedAwareness(this.relay.presenceOwners, room.name, update)
    if (payload !== null) {
      this.publish(room.name, FrameKind.awareness, payload)
    }
  }

  /** Claims a presence client id in Redis: the first user to claim it in the room keeps it. */
  claimPresence({ roomName, clientId, userId }: PresenceClaimPayload): Promise<boolean> {
    return claimInRedis(
      this.pub,
      `${this.prefix}:presence:${roomName}`,
      clientId,
      userId,
      (message, error) =>
        this.logger.warn(message, { room: roomName, ...(error === undefined ? {} : { error }) }),
    )
  }

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    this.rooms.delete(room.name)
    void this.durability?.adopt(room.name, this.held.take(room.name))
    await this.sub.unsubscribe(this.roomChannel(room.name))
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.sweeper ?? undefined)
    clearTimeout(this.storedTimer ?? undefined)
    this.sub.disconnect()
    await this.pub.quit().catch(() => this.pub.disconnect())
  }

  private get controlChannel(): string {
    return `${this.prefix}:control`
  }

  private roomChannel(room: string): string {
    return `${this.prefix}:room:${room}`
  }

  private senderOf(message: Buffer): string {
    return message.subarray(1, 1 + NODE_ID_BYTES).toString('hex')
  }

  private frame(kind: number, payload: Uint8Array): Buffer {
    return Buffer.concat([Buffer.from([kind]), this.nodeId, payload])
  }

  private publish(room: string, kind: number, payload: Uint8Array): void {
    this.publishTo(this.roomChannel(room), this.frame(kind, payload))
  }

  private publishTo(channel: string, frame: Buffer): void {
    void this.pub
      .publish(channel, frame)
      .catch((error: unknown) =>
        this.logger.warn('redis publish failed', { channel, error: String(error) }),
      )
  }

  private receive(channel: string, message: Buffer): void {
    if (
      message.length < 1 + NODE_ID_BYTES ||
      message.subarray(1, 1 + NODE_ID_BYTES).equals(this.nodeId)
    ) {
      return
    }
    const kind = message[0]
    const payload = new Uint8Array(message.subarray(1 + NODE_ID_BYTES))
    try {
      if (kind === FrameKind.control) {
        if (this.local !== null && this.relay !== null) {
          applyControl(this.local, JSON.parse(Buffer.from(payload).toString()) as ControlEvent)
        }
        return
      }
      if (kind === FrameKind.storedAll) {
        this.held.stored(
          this.senderOf(message),
          decoding.readVarUint(decoding.createDecoder(payload)),
        )
        return
      }
      const room = this.rooms.get(channel.slice(`${this.prefix}:room:`.length))
      if (room === undefined) {
        return
      }
      if (kind === FrameKind.update) {
        Y.applyUpdate(room.doc, payload, REMOTE_ORIGIN)
      } else if (kind === FrameKind.updateNumbered) {
        const decoder = decoding.createDecoder(payload)
        const seq = decoding.readVarUint(decoder)
        const update = payload.subarray(decoder.pos)
        Y.applyUpdate(room.doc, update, REMOTE_ORIGIN)
        this.held.hold(room.name, this.senderOf(message), seq, update, Date.now())
        // Only a node's own new updates: it stores them, and is told of them when they are stored
        // (unnumbered updates answer a state vector, and may carry what nobody else stores).
        this.elsewhere?.roomChangedElsewhere(room.name)
      } else if (kind === FrameKind.stored) {
        const seq = decoding.readVarUint(decoding.createDecoder(payload))
        this.held.storedInRoom(room.name, this.senderOf(message), seq)
      } else if (kind === FrameKind.awareness) {
        if (this.relay !== null) {
          applyOwnedAwareness(this.relay.presenceOwners, room, payload)
        }
      } else if (kind === FrameKind.awarenessUnowned) {
        this.logger.debug('awareness without owners from another node ignored', { channel })
      } else if (kind === FrameKind.stateVector || kind === FrameKind.stateVectorReturn) {
        const missing = Y.encodeStateAsUpdate(room.doc, payload)
        // An empty diff is 2 bytes (no structs, empty delete set).
        if (missing.length > 2) {
          this.publish(room.name, FrameKind.update, missing)
        }
        if (kind === FrameKind.stateVector && isAhead(Y.decodeStateVector(payload), room.doc)) {
          this.publish(room.name, FrameKind.stateVectorReturn, Y.encodeStateVector(room.doc))
        }
      }
    } catch (error) {
      this.logger.warn('bad message from another node', { channel, error: String(error) })
    }
  }
}

/** @returns whether a state vector has something `doc` lacks (a client's clock beyond the doc's). */
function isAhead(stateVector: Map<number, number>, doc: Y.Doc): boolean {
  const own = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const [client, clock] of stateVector) {
    if (clock > (own.get(client) ?? 0)) {
      return true
    }
  }
  return false
}
