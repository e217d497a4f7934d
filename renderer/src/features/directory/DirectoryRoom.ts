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
import type { DirectoryEntry } from '../../../../shared/api'
import { ReadOnlyRoom } from '../../collab/ReadOnlyRoom'
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
  private constructor(private readonly base: ReadOnlyRoom) {}

  /** Opens a unit's directory: its local copy first, then the relay when the browser is online. */
  static async open(options: DirectoryRoomOptions): Promise<DirectoryRoom> {
    const base = await ReadOnlyRoom.open({
      room: `directory:${options.unitId}`,
      databaseName: directoryDatabaseName(options.userId, options.unitId),
      token: options.token,
      onChange: options.onChange,
      onSynced: () => markCached(options.userId, options.unitId),
      serverUrl: options.serverUrl,
    })
    return new DirectoryRoom(base)
  }

  /** True while the relay's state has arrived (the list is current, not just cached). */
  get synced(): boolean {
    return this.base.synced
  }

  /** The entries known now. */
  entries(): DirectoryEntry[] {
    return entriesOf(this.base.doc)
  }

  /** Stops syncing (the local copy stays on disk). */
  destroy(): void {
    this.base.destroy()
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
