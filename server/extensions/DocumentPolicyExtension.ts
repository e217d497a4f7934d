/**
 * Enforces the 公文 room model on every document update (gongwen-model.md), judged by what Yjs will
 * do with it rather than by what its bytes claim (server/policy/):
 *
 * - every Yjs client id belongs to the first account that wrote with it (ClientIdBindings);
 * - the update is planned the way Yjs integrates it: overlaps cut, dependencies first; what cannot
 *   be placed yet is held by the relay (bounded, per connection) and judged when its dependencies
 *   arrive, never parked unjudged in Yjs's pending structs; the sender's save barrier waits for it;
 * - the judgement (judge.ts): commenters change only comments and suggestions, 批注 and 修订 follow
 *   their per-entry rules, nobody marks a document classified, nothing nests too deep;
 * - Yjs is handed only what was judged: the bytes as received, or the judged part re-encoded;
 * - a catch-up larger than SLICED_UPDATE_BYTES is decoded on a worker thread, judged whole, then
 *   integrated in slices with other rooms served between them; messages over MAX_MESSAGE_BYTES are
 *   refused (1009) unless they are a writer's catch-up.
 *
 * A refused update is neither applied, broadcast nor stored; it is audited once per user, room and
 * reason (RefusalAuditor) and its connection closed with 4403.
 */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { parseRoom } from '../../shared/protocol/rooms'
import { MAX_CATCH_UP_BYTES, MAX_MESSAGE_BYTES, SLICED_UPDATE_BYTES } from '../../shared/limits'
import type { RefusalAuditor } from '../audit/RefusalAuditor'
import type { Logger } from '../logger'
import type { Connection } from '../relay/Connection'
import { SERVER_ORIGIN } from '../relay/origins'
import type { Room } from '../relay/Room'
import type {
  ChangePayload,
  ConnectionPayload,
  Extension,
  MessagePayload,
  RoomPayload,
  SyncPayload,
  UpdatePayload,
} from '../relay/hooks'
import type { IncomingUpdate, MessageVerdict, UpdateVerdict } from '../relay/verdicts'
import { PRIORITY } from './priorities'
import { HeldUpdates } from './HeldUpdates'
import { newPolicyStats, spent } from './policyStats'
import type { PolicyStats } from './policyStats'
import type { Sender } from '../policy/annotationRules'
import type { ClientIdBindings } from '../policy/ClientIdBindings'
import { integrationOrder } from '../policy/integrationOrder'
import { Judge, planAndJudge } from '../policy/judge'
import type { Refusal } from '../policy/judge'
import { PlaceCache, Placer } from '../policy/placement'
import { deletedItems, encodeReady, encodeRest, hasWaiting, writtenClients } from '../policy/plan'
import { readSections, sectionsOf } from '../policy/sections'
import type { Sections } from '../policy/sections'
import type { UpdateSlicer } from '../policy/UpdateSlicer'
import { NO_BODY_LOCKS } from '../policy/bodyLocks'
import type { BodyLocks } from '../policy/bodyLocks'

export { judgeUpdate } from './updateScope'
export type { RefusalReason } from '../policy/judge'
export type { PolicyStats } from './policyStats'

interface Small {
  readonly kind: 'small'
  readonly sections: Sections
}

interface Sliced {
  readonly kind: 'sliced'
  readonly slices: readonly Uint8Array[]
  /** Per slice, the state each of its clients must be at when it is applied. */
  readonly starts: readonly ReadonlyMap<number, number>[]
  readonly waiting: Uint8Array | null
  next: number
}

const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Roots named in the de-duplication key of a refusal's audit entry; others count as one. */
const KNOWN_ROOTS: ReadonlySet<string> = new Set(['body', 'meta', 'comments', 'suggestions'])

/** The document policy of the relay. */
export class DocumentPolicyExtension implements Extension {
  readonly name = 'document-policy'
  readonly priority = PRIORITY.policy
  readonly stats: PolicyStats = newPolicyStats()
  private readonly caches = new WeakMap<Y.Doc, PlaceCache>()
  private readonly prepared = new WeakMap<IncomingUpdate, Small | Sliced>()
  private readonly reserved = new Map<Room, number>()
  /** Parts of updates waiting for what they depend on. */
  private readonly parts: HeldUpdates

  constructor(
    private readonly refusals: RefusalAuditor,
    private readonly bindings: ClientIdBindings,
    private readonly slicer: UpdateSlicer,
    private readonly logger: Logger,
    private readonly locks: BodyLocks = NO_BODY_LOCKS,
  ) {
    this.parts = new HeldUpdates(
      {
        judge: (connection, room, sections) =>
          planAndJudge(room.doc, sections, this.cacheOf(room), this.senderOf(connection, room)),
        refuse: (connection, room, refusal, bytes) => this.refuse(connection, room, refusal, bytes),
        counted: (event) => {
          this.stats[event]++
        },
      },
      logger,
    )
  }

  onMessage({ connection, kind, bytes }: MessagePayload): MessageVerdict {
    if (bytes <= MAX_MESSAGE_BYTES) {
      return 'accept'
    }
    const catchUp =
      kind === 'sync-write' &&
      connection.access === 'write' &&
      parseRoom(connection.roomName)?.kind === 'doc' &&
      bytes <= MAX_CATCH_UP_BYTES
    if (catchUp) {
      return 'accept'
    }
    this.audit(connection, connection.roomName, 'relay.refused', 'message_too_big', { bytes, kind })
    return CloseEvents.messageTooBig
  }

  async onLoadRoom({ room }: RoomPayload): Promise<void> {
    if (room.parsed.kind === 'doc') {
      await Promise.all([this.reserve(room), this.locks.load(room.parsed.id)])
    }
  }

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    if (room.parsed.kind === 'doc') {
      this.bindings.forget(room.parsed.id)
      this.locks.forget(room.parsed.id)
    }
    this.reserved.delete(room)
    this.parts.forget(room)
  }

  prepareUpdate({
    connection,
    room,
    incoming,
  }: UpdatePayload): Promise<UpdateVerdict> | UpdateVerdict {
    if (room.parsed.kind !== 'doc') {
      return 'accept'
    }
    if (incoming.update.length > SLICED_UPDATE_BYTES) {
      return this.prepareSliced(connection, room, incoming)
    }
    const started = performance.now()
    const sections = readSections(incoming.update)
    this.prepared.set(incoming, { kind: 'small', sections })
    const clients = writtenClients(sections, (client) => Y.getState(room.doc.store, client))
    spent(this.stats, started, false)
    return this.claim(connection, room, clients, incoming.update.length)
  }

  beforeApplyUpdate({ connection, room, incoming }: UpdatePayload): UpdateVerdict {
    if (room.parsed.kind !== 'doc') {
      return 'accept'
    }
    const prepared = this.prepared.get(incoming) ?? {
      kind: 'small',
      sections: readSections(incoming.update),
    }
    if (prepared.kind === 'sliced') {
      return this.nextSlice(connection, room, incoming, prepared)
    }
    const started = performance.now()
    const { plan, refusal } = planAndJudge(
      room.doc,
      prepared.sections,
      this.cacheOf(room),
      this.senderOf(connection, room),
    )
    spent(this.stats, started, true)
    if (refusal !== null) {
      return this.refuse(connection, room, refusal, incoming.update.length)
    }
    const anything = plan.order.ready.length > 0 || plan.deletions.length > 0
    incoming.apply = plan.asReceived ? incoming.update : anything ? encodeReady(plan) : null
    if (hasWaiting(plan)) {
      this.parts.hold(connection, room, encodeRest(plan), plan.order.missing)
    }
    return 'accept'
  }

  beforeSyncAnswer({ connection }: SyncPayload): Promise<void> | void {
    // The save barrier is answered once nothing this connection sent waits any more.
    return this.parts.barrier(connection)
  }

  onChange({ room, update, origin }: ChangePayload): void {
    if (room.parsed.kind !== 'doc') {
      return
    }
    if (origin === SERVER_ORIGIN) {
      const { from, to } = Y.parseUpdateMeta(update)
      const written = [...to].filter(([client, clock]) => clock > (from.get(client) ?? 0))
      this.bindings.bindRelay(
        room.parsed.id,
        written.map(([client]) => client),
      )
    }
    if (this.reserved.has(room) && this.reserved.get(room) !== room.doc.clientID) {
      // Yjs picked a new client id for the room (another writer used its old one): keep it ours.
      void this.reserve(room)
    }
    this.parts.changed(room)
  }

  onDisconnect({ connection }: ConnectionPayload): void {
    this.parts.drop(connection)
  }

  async onDestroy(): Promise<void> {
    await this.slicer.close()
  }

  /** Claims the client ids an update writes with; refuses someone else's. */
  private claim(
    connection: Connection,
    room: Room,
    clients: readonly number[],
    bytes: number,
  ): UpdateVerdict | Promise<UpdateVerdict> {
    if (clients.length === 0 || room.parsed.kind !== 'doc') {
      return 'accept'
    }
    const verdict = this.bindings.claim(
      room.parsed.id,
      connection.identity.userId,
      clients,
      (client) => Y.getState(room.doc.store, client) > 0,
    )
    const decide = (claimed: 'accept' | 'taken'): UpdateVerdict =>
      claimed === 'accept'
        ? 'accept'
        : this.refuse(connection, room, { reason: 'client_id_taken', roots: [], path: null }, bytes)
    return verdict instanceof Promise ? verdict.then(decide) : decide(verdict)
  }

  /** Slices a large update on the worker and judges every slice before any is applied. */
  private async prepareSliced(
    connection: Connection,
    room: Room,
    incoming: IncomingUpdate,
  ): Promise<UpdateVerdict> {
    const sliced = await this.slicer.slice(incoming.update, Y.encodeStateVector(room.doc))
    this.stats.sliced++
    const claimed = await this.claim(connection, room, sliced.clients, incoming.update.length)
    if (claimed !== 'accept') {
      return claimed
    }
    const store = room.doc.store
    const placer = new Placer(room.doc, this.cacheOf(room))
    const judge = new Judge(this.senderOf(connection, room), room.doc)
    const running = new Map<number, number>()
    const starts: Map<number, number>[] = []
    for (const slice of sliced.slices) {
      const started = performance.now()
      const sections = sectionsOf(Y.decodeUpdate(slice))
      const order = integrationOrder(
        sections.clients,
        (client) => running.get(client) ?? Y.getState(store, client),
      )
      const start = new Map<number, number>()
      for (const [client, structs] of sections.clients) {
        start.set(client, structs[0]?.id.clock ?? 0)
      }
      if (order.waiting.size > 0 || order.ready.some((ready) => ready.offset > 0)) {
        // The document moved under the catch-up (the same structs came another way): resync.
        return CloseEvents.resync
      }
      for (const [client, after] of order.after) {
        running.set(client, after)
      }
      starts.push(start)
      judge.add(placer.place(order.ready), deletedItems(room.doc, sections.ds, this.cacheOf(room)))
      spent(this.stats, started, true)
      await yieldToOthers()
    }
    const refusal = judge.finish()
    if (refusal !== null) {
      return this.refuse(connection, room, refusal, incoming.update.length)
    }
    this.prepared.set(incoming, {
      kind: 'sliced',
      slices: sliced.slices,
      starts,
      waiting: sliced.waiting,
      next: 0,
    })
    return 'accept'
  }

  /** Hands the Room the next judged slice of a large update. */
  private nextSlice(
    connection: Connection,
    room: Room,
    incoming: IncomingUpdate,
    prepared: Sliced,
  ): UpdateVerdict {
    const index = prepared.next++
    const slice = prepared.slices[index] ?? null
    for (const [client, clock] of prepared.starts[index] ?? []) {
      if (Y.getState(room.doc.store, client) !== clock) {
        this.logger.warn('catch-up overtaken; the client resyncs', { room: room.name, client })
        return CloseEvents.resync
      }
    }
    incoming.apply = slice
    incoming.more = prepared.next < prepared.slices.length
    if (slice !== null) {
      this.stats.slices++
    }
    if (!incoming.more && prepared.waiting !== null) {
      const rest = readSections(prepared.waiting)
      const order = integrationOrder(rest.clients, (client) => Y.getState(room.doc.store, client))
      this.parts.hold(connection, room, prepared.waiting, order.missing)
    }
    return 'accept'
  }

  /** Binds the room's own client id to the relay; picks another if someone has it. */
  private async reserve(room: Room): Promise<void> {
    if (room.parsed.kind !== 'doc') {
      return
    }
    for (let attempt = 0; attempt < 8; attempt++) {
      const clientId = room.doc.clientID
      this.reserved.set(room, clientId)
      if (await this.bindings.reserve(room.parsed.id, clientId)) {
        return
      }
      room.doc.clientID = Math.floor(Math.random() * 2 ** 32)
    }
    throw new Error(`no free client id for ${room.name}`)
  }

  private refuse(connection: Connection, room: Room, refusal: Refusal, bytes: number): CloseEvent {
    this.stats.refused++
    const roots = refusal.roots.map((root) => (KNOWN_ROOTS.has(root) ? root : '*'))
    const key = `${refusal.reason}:${[...new Set(roots)].join(',')}`
    // Document refusals name the document, as every document.* audit entry does.
    this.audit(connection, room.parsed.id, 'document.update_refused', key, {
      reason: refusal.reason,
      roots: refusal.roots,
      path: refusal.path,
      access: connection.access,
      bytes,
      room: room.name,
    })
    const classified = refusal.reason === 'classified'
    return classified ? CloseEvents.classifiedRefused : CloseEvents.updateRefused
  }

  /** Audits a refusal once per user, room and `key` (the reason, with the roots it touched). */
  private audit(
    connection: Connection,
    room: string,
    action: string,
    key: string,
    detail: Record<string, unknown>,
  ): void {
    const { identity } = connection
    this.refusals.refuse({
      actor: { id: identity.userId, name: identity.displayName },
      room,
      reason: key,
      action,
      detail,
    })
  }

  private senderOf(connection: Connection, room: Room): Sender {
    const { userId, displayName } = connection.identity
    const access = connection.access === 'write' ? 'write' : 'comment'
    return { access, userId, displayName, bodyLocked: this.locks.locked(room.parsed.id, userId) }
  }

  private cacheOf(room: Room): PlaceCache {
    let cache = this.caches.get(room.doc)
    if (cache === undefined) {
      cache = new PlaceCache()
      this.caches.set(room.doc, cache)
    }
    return cache
  }
}
