/**
 * The user's read-only inbox room `inbox:<userId>` (DESIGN.md §3): Y.Map `items` (id → InboxItem,
 * the newest 200) and Y.Map `summary` (`unread`), kept current by the relay and mirrored into
 * IndexedDB so the bell shows its items offline.
 *
 * @example
 *   const room = await InboxRoom.open({ userId, token, onChange: () => show(room.items()) })
 *   room.destroy()
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import type { InboxItem } from '../../../../shared/api'
import { syncUrl } from '../../api/endpoint'
import { closeAction } from '../../collab/closeReasons'
import { isInboxItem } from './inboxItems'

/** The Y.Map of an inbox room holding its items by id (server/services/InboxService.ts). */
export const ITEMS_FIELD = 'items'
/** The Y.Map of an inbox room holding the unread count under `unread`. */
export const SUMMARY_FIELD = 'summary'

/** @returns the IndexedDB database of one user's inbox on this device. */
export function inboxDatabaseName(userId: string): string {
  return `qilu:${userId}:inbox`
}

/** Options of InboxRoom.open. */
export interface InboxRoomOptions {
  readonly userId: string
  readonly token: string
  /** Told whenever the items, the count or the connection state change. */
  readonly onChange: () => void
  /** Relay WebSocket base URL (default: this origin's /sync). */
  readonly serverUrl?: string
}

/** An open inbox room. */
export class InboxRoom {
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

  private constructor(private readonly options: InboxRoomOptions) {
    this.local = new IndexeddbPersistence(inboxDatabaseName(options.userId), this.doc)
    this.provider = new WebsocketProvider(
      options.serverUrl ?? syncUrl(),
      `inbox:${options.userId}`,
      this.doc,
      { connect: false, params: { token: options.token }, maxBackoffTime: 10_000 },
    )
    // Nobody edits an inbox: no presence to publish.
    this.provider.awareness.setLocalState(null)
    this.doc.on('update', () => options.onChange())
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced
      options.onChange()
    })
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      this.synced = false
      if (closeAction(event?.code ?? null, event?.reason ?? '') !== 'reconnect') {
        this.refused = true
        this.provider.shouldConnect = false
      }
      options.onChange()
    })
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
  }

  /** Opens the inbox: its local copy first, then the relay when the browser is online. */
  static async open(options: InboxRoomOptions): Promise<InboxRoom> {
    const room = new InboxRoom(options)
    await Promise.race([room.local.whenSynced, new Promise((resolve) => setTimeout(resolve, 2000))])
    if (navigator.onLine) {
      room.provider.connect()
    }
    options.onChange()
    return room
  }

  /** The valid items known now (any order). */
  items(): InboxItem[] {
    return [...this.doc.getMap<unknown>(ITEMS_FIELD).values()].filter(isInboxItem)
  }

  /** The relay's unread count, or null when the room holds none yet. */
  unread(): number | null {
    const value = this.doc.getMap<unknown>(SUMMARY_FIELD).get('unread')
    return typeof value === 'number' && Number.isFinite(value) ? value : null
  }

  /** Whether the room holds anything (from the relay now or from an earlier visit). */
  get hasContent(): boolean {
    return this.doc.store.clients.size > 0
  }

  /** Stops syncing (the local copy stays on disk). */
  destroy(): void {
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }
}
