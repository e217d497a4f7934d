/**
 * The WebSocket provider of one document room, as this relay wants it spoken to. A subclass of
 * y-websocket's provider that installs its own sync and presence handlers in its constructor
 * (y-websocket 2.1.0 copies `messageHandlers` per instance, so this touches no other provider):
 *
 * - Sync: remembers the state vector the relay announced in its sync step 1; once synced, applies
 *   colleagues' incremental updates in batches (RemoteBatch), and every other sync message first
 *   applies what is queued, in order; hands the relay's first answer (sync step 2) to
 *   `onFirstAnswer` instead of applying it here; reports every later step 2 from the socket (not
 *   from other tabs over BroadcastChannel) to `onBarrierAnswer`: each one answers a barrier.
 * - Presence: queued behind pending updates while a batch waits; this client publishes only its own
 *   state, at most every AWARENESS_INTERVAL_MS, the latest state last. The stock sender also echoes
 *   every colleague's presence back to the relay, which spends this socket's presence budget on
 *   messages the relay discards anyway.
 *
 * @example
 *   const provider = new RelayProvider(url, docRoom(id), doc, { params: { token }, hooks })
 *   provider.connect()
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { AWARENESS_PER_SECOND } from '../../../shared/limits'
import {
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '../../../shared/protocol/messages'
import { RemoteBatch } from './RemoteBatch'
import { failOver } from './relayFailover'

/**
 * Shortest interval between two presence messages. The relay drops presence beyond
 * AWARENESS_PER_SECOND per socket, so a fast typist's caret would freeze in the wrong place.
 */
const AWARENESS_INTERVAL_MS = Math.ceil(2000 / AWARENESS_PER_SECOND)

/** What the owner of the provider (the session) is told about the sync exchange. */
export interface RelayProviderHooks {
  /**
   * Applies the relay's first answer (on a first open, the whole document). The provider counts
   * as synced right after (this emits 'sync').
   */
  readonly onFirstAnswer: (update: Uint8Array) => void
  /** A sync step 2 from the socket after the initial exchange: the answer to a barrier. */
  readonly onBarrierAnswer: () => void
}

/** Options of a relay provider. */
export interface RelayProviderOptions {
  /** URL parameters of the socket (the session token). */
  readonly params: Record<string, string>
  /** Longest wait between two reconnection attempts (ms). */
  readonly maxBackoffTime: number
  readonly hooks: RelayProviderHooks
  /**
   * WebSocket base URLs of the deployment's other nodes: after a lost connection the provider
   * reconnects to the next one in turn (relayFailover.ts). None: always the same relay.
   */
  readonly nodes?: readonly string[]
}

/** A provider that does not connect until `connect()` is called. */
export class RelayProvider extends WebsocketProvider {
  private readonly remote: RemoteBatch
  private readonly hooks: RelayProviderHooks
  /** The state vector the relay announced in its sync step 1 (what it had when we joined). */
  private relayStateSeen: Map<number, number> | null = null
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null
  private awarenessSentAt = 0
  private readonly stopFailover: () => void

  constructor(serverUrl: string, roomName: string, doc: Y.Doc, options: RelayProviderOptions) {
    super(serverUrl, roomName, doc, {
      connect: false,
      params: { ...options.params },
      maxBackoffTime: options.maxBackoffTime,
    })
    this.hooks = options.hooks
    this.stopFailover = failOver(this, options.nodes ?? [])
    this.remote = new RemoteBatch(doc, this.awareness, this)
    this.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, _from, emitSynced) =>
      this.handleSync(encoder, decoder, emitSynced)
    this.messageHandlers[MESSAGE_AWARENESS] = (_encoder, decoder) => this.handleAwareness(decoder)
    this.awareness.off('update', this._awarenessUpdateHandler)
    this.awareness.on('update', this.onPresence)
  }

  /** The state vector the relay announced in its last sync step 1 (null before the first). */
  get relayState(): Map<number, number> | null {
    return this.relayStateSeen
  }

  /** Tells the batcher that this device's user changed the document (see RemoteBatch). */
  localChange(): void {
    this.remote.localChange()
  }

  /**
   * Sends a sync step 1 to the relay (a barrier: its answer confirms what was sent before it).
   * @returns false when the socket is not open (nothing sent)
   */
  sendSyncStep1(): boolean {
    const ws = this.ws
    if (ws === null || ws.readyState !== WebSocket.OPEN) {
      return false
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    ws.send(encoding.toUint8Array(encoder))
    return true
  }

  override destroy(): void {
    this.stopFailover()
    this.awareness.off('update', this.onPresence)
    if (this.awarenessTimer !== null) {
      clearTimeout(this.awarenessTimer)
      this.awarenessTimer = null
    }
    this.remote.destroy()
    super.destroy()
  }

  private handleSync(
    encoder: encoding.Encoder,
    decoder: decoding.Decoder,
    emitSynced: boolean,
  ): void {
    const step = decoding.peekVarUint(decoder)
    if (step === SYNC_STEP1) {
      const peek = decoding.clone(decoder)
      decoding.readVarUint(peek)
      this.relayStateSeen = Y.decodeStateVector(decoding.readVarUint8Array(peek))
    }
    if (step === SYNC_UPDATE && this.synced) {
      decoding.readVarUint(decoder)
      this.remote.pushUpdate(decoding.readVarUint8Array(decoder))
      return
    }
    this.remote.flush()
    const isAnswer = emitSynced && this.synced && step === SYNC_STEP2
    if (emitSynced && !this.synced && step === SYNC_STEP2) {
      decoding.readVarUint(decoder)
      this.hooks.onFirstAnswer(decoding.readVarUint8Array(decoder))
      // As the stock handler does after the first step 2 (this emits 'sync').
      this.synced = true
      return
    }
    // The stock handler of y-websocket.
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    const type = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
    if (emitSynced && type === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true
    }
    if (isAnswer) {
      this.hooks.onBarrierAnswer()
    }
  }

  private handleAwareness(decoder: decoding.Decoder): void {
    const update = decoding.readVarUint8Array(decoder)
    if (this.remote.pending) {
      this.remote.pushAwareness(update)
    } else {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this)
    }
  }

  /** Schedules the publication of this client's own presence when it changed. */
  private readonly onPresence = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const self = this.doc.clientID
    const mine = [...change.added, ...change.updated, ...change.removed].includes(self)
    if (origin === this || !mine || this.awarenessTimer !== null) {
      return
    }
    const wait = Math.max(0, this.awarenessSentAt + AWARENESS_INTERVAL_MS - Date.now())
    this.awarenessTimer = setTimeout(this.publishPresence, wait)
  }

  private readonly publishPresence = (): void => {
    this.awarenessTimer = null
    this.awarenessSentAt = Date.now()
    this._awarenessUpdateHandler({ added: [], updated: [this.doc.clientID], removed: [] }, null)
  }
}
