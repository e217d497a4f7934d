/**
 * One lightweight Yjs sync client, the same code for every server of the scale benchmark. It speaks
 * the y-websocket wire format (our relay and the reference server), Hocuspocus's (each message
 * prefixed with the document name, a token message first) or none at all (the raw `ws` broadcast
 * ceiling, which only relays bytes: "synced" there means "socket open").
 *
 * It is leaner than the stock WebsocketProvider (no awareness, no broadcast channel, no timers per
 * client), so one thread can hold thousands of them; it reconnects with a jittered back-off, which
 * the kill -9 storm measures.
 *
 * A load client (`deferUpdates`) does not decode the updates it receives while the load runs: it
 * hands their bytes to the observer (which reads the marker) and keeps them, applying them to its
 * Y.Doc at `settle()`, between rounds. Applying each update on arrival cost the load generator more
 * than the servers spend on it (a room of four applies each update three times on the client core),
 * so the generator, not the server, was the limit of the saturation search. Sync steps are always
 * handled at once (a pending update is applied first), so what a client answers is its whole state.
 */
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'

/** Which wire format a server speaks. */
export type Dialect = 'yws' | 'hocuspocus' | 'raw'

const MESSAGE_SYNC = 0
const SYNC_UPDATE = 2
/** A Yjs struct's info byte: string content (ref 4) with a left origin (bit 8), nothing else. */
const STRING_AFTER_ORIGIN = 0x84
const HOCUSPOCUS_AUTH = 2
const HOCUSPOCUS_SYNC_REPLY = 4
const HOCUSPOCUS_PERMISSION_DENIED = 1
const FIRST_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 1000

/** Called with every update this client receives (servers may echo a client's own updates). */
export type UpdateObserver = (update: Uint8Array, client: SyncClient) => void

/** Where and how a client connects. */
export interface ClientTarget {
  readonly dialect: Dialect
  /** ws:// base URL; the room is appended as a path segment except for Hocuspocus. */
  readonly url: string
  readonly room: string
  readonly token: string | null
}

/** A Y.Doc kept in sync with one room over one socket. */
export class SyncClient {
  readonly doc: Y.Doc
  readonly text: Y.Text
  /** performance.now() of the last completed sync (NaN before the first). */
  syncedAt = Number.NaN
  /** performance.now() of the last close not asked for (NaN if none). */
  lostAt = Number.NaN
  disconnects = 0
  /** The server's refusal, if it refused this client. */
  refused: string | null = null
  private socket: WebSocket | null = null
  private synced = false
  private closed = false
  private attempts = 0
  /** Updates received (and its own appends) not applied yet (deferUpdates). */
  private pending: Uint8Array[] = []
  /** The clock of this client's next own character (append), -1 before its first. */
  private ownClock = -1
  /**
   * The client id of its appends. Yjs gives the Y.Doc a new one when its own structs arrive in a
   * remote transaction, as its appends do at settle(); the appends keep the first.
   */
  private ownClient = 0

  constructor(
    readonly target: ClientTarget,
    private readonly observer: UpdateObserver | null = null,
    doc?: Y.Doc,
    /** Keep received updates undecoded until settle() (a load client). */
    private readonly deferUpdates = false,
  ) {
    this.doc = doc ?? new Y.Doc()
    this.text = this.doc.getText('text')
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) {
        this.sendUpdate(update)
      }
    })
  }

  get isSynced(): boolean {
    return this.synced
  }

  /** Opens the socket (again). */
  connect(): void {
    const { dialect, url, room, token } = this.target
    const query = dialect === 'yws' && token !== null ? `?token=${encodeURIComponent(token)}` : ''
    const address = dialect === 'hocuspocus' ? url : `${url}/${encodeURIComponent(room)}${query}`
    const socket = new WebSocket(address, { perMessageDeflate: false, maxPayload: 256 << 20 })
    socket.binaryType = 'nodebuffer'
    this.socket = socket
    socket.on('open', () => this.opened())
    socket.on('message', (data: Buffer) => this.receive(data))
    socket.on('error', () => undefined)
    socket.on('close', (code: number, reason: Buffer) => {
      this.synced = false
      if (this.socket !== socket || this.closed) {
        return
      }
      this.socket = null
      if (code === 4401 || code === 4403 || code === 1008) {
        this.refused = `${code} ${reason.toString()}`
      }
      this.lostAt = performance.now()
      this.disconnects++
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.attempts++)
      setTimeout(() => this.closed || this.connect(), backoff * (0.5 + Math.random()))
    })
  }

  /**
   * Appends `text` (ASCII) to the room's text after this client's own last insert. A load client
   * writes the update itself after the first (which Yjs makes): one struct after its own previous
   * one, byte for byte what Yjs would emit for it, sent at once and applied to its Y.Doc at
   * settle() with what it received. Yjs's insert cost the load generator as much again as the send.
   */
  append(text: string): void {
    if (!this.deferUpdates || this.ownClock < 0) {
      this.text.insert(this.text.length, text)
      this.ownClient = this.doc.clientID
      this.ownClock = Y.getState(this.doc.store, this.doc.clientID)
      return
    }
    const update = appendAfterOwn(this.ownClient, this.ownClock, text)
    this.ownClock += text.length
    this.pending.push(update)
    this.sendUpdate(update)
  }

  /** Applies the updates received since the last settle (deferUpdates), in one transaction. */
  settle(): void {
    if (this.pending.length === 0) {
      return
    }
    const [first, ...rest] = this.pending
    this.pending = []
    if (first !== undefined) {
      Y.applyUpdate(this.doc, rest.length === 0 ? first : Y.mergeUpdates([first, ...rest]), this)
    }
  }

  /** Closes for good. */
  close(): void {
    this.closed = true
    this.pending = []
    this.socket?.terminate()
    this.socket = null
    this.doc.destroy()
  }

  private opened(): void {
    this.attempts = 0
    if (this.target.dialect === 'raw') {
      // No server state to sync with: announce what this client holds, if anything.
      const update = Y.encodeStateAsUpdate(this.doc)
      this.markSynced()
      if (update.length > 2) {
        this.sendUpdate(update)
      }
      return
    }
    if (this.target.dialect === 'hocuspocus') {
      const auth = this.header(HOCUSPOCUS_AUTH)
      encoding.writeVarUint(auth, 0)
      encoding.writeVarString(auth, this.target.token ?? '')
      this.send(auth)
    }
    const step1 = this.header(MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(step1, this.doc)
    this.send(step1)
  }

  private markSynced(): void {
    this.synced = true
    this.syncedAt = performance.now()
  }

  private header(type: number): encoding.Encoder {
    const encoder = encoding.createEncoder()
    if (this.target.dialect === 'hocuspocus') {
      encoding.writeVarString(encoder, this.target.room)
    }
    encoding.writeVarUint(encoder, type)
    return encoder
  }

  private send(encoder: encoding.Encoder): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(encoding.toUint8Array(encoder))
    }
  }

  private sendUpdate(update: Uint8Array): void {
    // Before the first sync a y-websocket server has not placed this client yet; the sync sends it.
    if (!this.synced) {
      return
    }
    const encoder = this.header(MESSAGE_SYNC)
    syncProtocol.writeUpdate(encoder, update)
    this.send(encoder)
  }

  private receive(data: Buffer): void {
    const decoder = decoding.createDecoder(data)
    if (this.target.dialect === 'hocuspocus') {
      decoding.readVarString(decoder)
    }
    const type = decoding.readVarUint(decoder)
    if (type === HOCUSPOCUS_AUTH && this.target.dialect === 'hocuspocus') {
      if (decoding.readVarUint(decoder) === HOCUSPOCUS_PERMISSION_DENIED) {
        this.refused = 'permission denied'
      }
      return
    }
    const isSync =
      type === MESSAGE_SYNC ||
      (type === HOCUSPOCUS_SYNC_REPLY && this.target.dialect === 'hocuspocus')
    if (!isSync) {
      // Awareness, sync status acknowledgements and anything else: not measured.
      return
    }
    if (this.deferUpdates && this.synced && decoder.arr[decoder.pos] === SYNC_UPDATE) {
      decoding.readVarUint(decoder)
      const update = decoding.readVarUint8Array(decoder)
      this.pending.push(update)
      this.observer?.(update, this)
      return
    }
    // A sync step answers with the whole state: what is pending belongs to it.
    this.settle()
    const reply = this.header(MESSAGE_SYNC)
    const headerLength = encoding.length(reply)
    const before = this.observer === null ? null : decoding.clone(decoder)
    const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, this)
    if (before !== null && kind !== syncProtocol.messageYjsSyncStep1) {
      decoding.readVarUint(before)
      this.observer?.(decoding.readVarUint8Array(before), this)
    }
    if (kind === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.markSynced()
    }
    if (encoding.length(reply) > headerLength) {
      this.send(reply)
    }
  }
}

/**
 * @returns a Yjs update (v1) of one string item by `client` at `clock`, right after the client's
 *   character at clock - 1 (its left origin; no right origin): what Y.Text#insert at the end emits
 *   when the client's own last character ends the text
 */
function appendAfterOwn(client: number, clock: number, text: string): Uint8Array {
  const encoder = encoding.createEncoder()
  // One client with one struct, from `clock`.
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock)
  encoding.writeUint8(encoder, STRING_AFTER_ORIGIN)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock - 1)
  encoding.writeVarString(encoder, text)
  // An empty delete set.
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}
