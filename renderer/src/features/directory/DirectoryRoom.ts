/**
 * One unit's read-only directory room `directory:<unitId>` (DESIGN.md §3): a Y.Doc whose `entries`
 * Y.Map the relay keeps current, mirrored into IndexedDB so the 通讯录 opens offline. The units a
 * user has loaded are listed in localStorage, so an offline search knows which copies to read.
 *
 * @example
 *   const room = await DirectoryRoom.open({ userId, unitId, token, onChange: () => render(room.entries()) })
 *   room.destroy()
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import type { DirectoryEntry } from '../../../../shared/api'
import { syncUrl } from '../../api/endpoint'
import { closeAction } from '../../collab/closeReasons'
import { isStringArray, readCache, writeCache } from '../../stores/localCache'
import { isDirectoryEntry } from './directoryMatch'

/** The Y.Map of a directory room holding its entries by account id (server/services/DirectoryService.ts). */
export const ENTRIES_FIELD = 'entries'

/** @returns the IndexedDB database of one unit's directory for one user. */
export function directoryDatabaseName(userId: string, unitId: string): string {
  return `qilu:${userId}:directory:${unitId}`
}

function cacheListKey(userId: string): string {
  return `qilu:${userId}:directory-units`
}

/** @returns the units whose directory this user has a copy of on this device. */
export function cachedUnitIds(userId: string): string[] {
  return readCache(cacheListKey(userId), isStringArray) ?? []
}

function markCached(userId: string, unitId: string): void {
  const known = cachedUnitIds(userId)
  if (!known.includes(unitId)) {
    writeCache(cacheListKey(userId), [...known, unitId])
  }
}

/** @returns the valid entries of a directory Y.Doc. */
export function entriesOf(doc: Y.Doc): DirectoryEntry[] {
  const map = doc.getMap<unknown>(ENTRIES_FIELD)
  return [...map.values()].filter(isDirectoryEntry)
}

/** Options of DirectoryRoom.open. */
export interface DirectoryRoomOptions {
  readonly userId: string
  readonly unitId: string
  readonly token: string
  /** Told whenever the entries change (from the local copy or the relay). */
  readonly onChange: () => void
  /** Relay WebSocket base URL (default: this origin's /sync). */
  readonly serverUrl?: string
}

/** An open directory room. */
export class DirectoryRoom {
  readonly doc = new Y.Doc()
  readonly local: IndexeddbPersistence
  readonly provider: WebsocketProvider
  /** True once the relay's state has arrived (the list is current, not just cached). */
  synced = false
  /** The relay refused the socket for good (the session is over). */
  private refused = false
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

  private constructor(private readonly options: DirectoryRoomOptions) {
    this.local = new IndexeddbPersistence(
      directoryDatabaseName(options.userId, options.unitId),
      this.doc,
    )
    this.provider = new WebsocketProvider(
      options.serverUrl ?? syncUrl(),
      `directory:${options.unitId}`,
      this.doc,
      { connect: false, params: { token: options.token }, maxBackoffTime: 10_000 },
    )
    // Nobody edits a directory; there is no presence to publish.
    this.provider.awareness.setLocalState(null)
    this.doc.on('update', () => options.onChange())
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced
      if (synced) {
        markCached(options.userId, options.unitId)
      }
      options.onChange()
    })
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (closeAction(event?.code ?? null) !== 'reconnect') {
        // Refused for good (session over): keep showing the cached copy, stop knocking.
        this.refused = true
        this.provider.shouldConnect = false
      }
    })
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
  }

  /** Opens a unit's directory: its local copy first, then the relay when the browser is online. */
  static async open(options: DirectoryRoomOptions): Promise<DirectoryRoom> {
    const room = new DirectoryRoom(options)
    await Promise.race([room.local.whenSynced, new Promise((resolve) => setTimeout(resolve, 2000))])
    // Opened offline, the 'online' listener connects later.
    if (navigator.onLine) {
      room.provider.connect()
    }
    options.onChange()
    return room
  }

  /** The entries known now. */
  entries(): DirectoryEntry[] {
    return entriesOf(this.doc)
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

/** @returns every entry of the directory copies on this device (for an offline search). */
export async function readCachedEntries(userId: string): Promise<DirectoryEntry[]> {
  const copies = await Promise.all(
    cachedUnitIds(userId).map(async (unitId) => {
      const doc = new Y.Doc()
      const local = new IndexeddbPersistence(directoryDatabaseName(userId, unitId), doc)
      try {
        await local.whenSynced
        return entriesOf(doc)
      } finally {
        await local.destroy()
        doc.destroy()
      }
    }),
  )
  return copies.flat()
}
