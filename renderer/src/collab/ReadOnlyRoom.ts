/**
 * A read-only room the relay writes and the client only reads (DESIGN.md §3: `directory:<unitId>`,
 * `inbox:<userId>`): a Y.Doc mirrored into IndexedDB so it opens offline, synced from the relay
 * while the browser is online, publishing no presence, and quiet once the relay refuses it for good.
 *
 * @example
 *   const room = await ReadOnlyRoom.open({ room: `inbox:${userId}`, databaseName, token, onChange })
 *   room.doc.getMap('items')
 *   room.destroy()
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import { relayTarget } from '../api/endpoint'
import { closeAction } from './closeReasons'
import { failOver } from './relayFailover'

/** Options of ReadOnlyRoom.open. */
export interface ReadOnlyRoomOptions {
  /** The room's name, e.g. `directory:<unitId>`. */
  readonly room: string
  /** The IndexedDB database of this device's copy. */
  readonly databaseName: string
  readonly token: string
  /** Told whenever the content or the connection state changes. */
  readonly onChange: () => void
  /** Told each time the relay's state has arrived. */
  readonly onSynced?: () => void
  /** Relay WebSocket base URL (default: this origin's /sync, failing over to the other nodes). */
  readonly serverUrl?: string
}

/** How long opening waits for the local copy before going on without it (ms). */
const LOCAL_LOAD_TIMEOUT_MS = 2000

/** An open read-only room. */
export class ReadOnlyRoom {
  readonly doc = new Y.Doc()
  readonly local: IndexeddbPersistence
  readonly provider: WebsocketProvider
  /** True while the relay's state has arrived on the current connection. */
  synced = false
  /** True once the relay refused the socket for good (the session is over). */
  refused = false
  private readonly onOnline = (): void => {
    if (!this.refused) {
      this.provider.connect()
    }
  }
  private readonly onOffline = (): void => {
    // Chromium keeps a dead socket open for a while after the network goes; follow the browser.
    this.provider.disconnect()
    this.synced = false
    this.options.onChange()
  }

  private readonly stopFailover: () => void

  private constructor(private readonly options: ReadOnlyRoomOptions) {
    this.local = new IndexeddbPersistence(options.databaseName, this.doc)
    const relay = relayTarget(options.serverUrl)
    this.provider = new WebsocketProvider(relay.url, options.room, this.doc, {
      connect: false,
      params: { token: options.token },
      maxBackoffTime: 10_000,
    })
    // Another node of the deployment when this one goes (only with the default relay).
    this.stopFailover = failOver(this.provider, relay.nodes)
    // Nobody edits a read-only room: no presence to publish.
    this.provider.awareness.setLocalState(null)
    this.doc.on('update', () => options.onChange())
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced
      if (synced) {
        options.onSynced?.()
      }
      options.onChange()
    })
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      this.synced = false
      if (closeAction(event?.code ?? null, event?.reason ?? '') !== 'reconnect') {
        // Refused for good (session over): keep showing the local copy, stop knocking.
        this.refused = true
        this.provider.shouldConnect = false
      }
      options.onChange()
    })
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
  }

  /** Opens the room: its local copy first, then the relay when the browser is online. */
  static async open(options: ReadOnlyRoomOptions): Promise<ReadOnlyRoom> {
    const room = new ReadOnlyRoom(options)
    await Promise.race([
      room.local.whenSynced,
      new Promise((resolve) => setTimeout(resolve, LOCAL_LOAD_TIMEOUT_MS)),
    ])
    // Opened offline, the 'online' listener connects later.
    if (navigator.onLine) {
      room.provider.connect()
    }
    options.onChange()
    return room
  }

  /** Whether the room holds anything (from the relay now or from an earlier visit). */
  get hasContent(): boolean {
    return this.doc.store.clients.size > 0
  }

  /** Stops syncing (the local copy stays on disk). */
  destroy(): void {
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.stopFailover()
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }
}
