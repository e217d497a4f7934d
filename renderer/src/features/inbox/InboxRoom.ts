/**
 * The user's read-only inbox room `inbox:<userId>` (DESIGN.md §3): Y.Map `items` (id → InboxItem,
 * the newest 200) and Y.Map `summary` (`unread`), kept current by the relay and mirrored into
 * IndexedDB so the bell shows its items offline.
 *
 * @example
 *   const room = await InboxRoom.open({ userId, token, onChange: () => show(room.items()) })
 *   room.destroy()
 */
import type { InboxItem } from '../../../../shared/api'
import type { TodoCounts } from '../../../../shared/http/routes/approvals'
import { ReadOnlyRoom } from '../../collab/ReadOnlyRoom'
import { COUNTS_FIELD, readCounts } from '../../stores/todoCounts'
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
  private constructor(private readonly base: ReadOnlyRoom) {}

  /** Opens the inbox: its local copy first, then the relay when the browser is online. */
  static async open(options: InboxRoomOptions): Promise<InboxRoom> {
    const base = await ReadOnlyRoom.open({
      room: `inbox:${options.userId}`,
      databaseName: inboxDatabaseName(options.userId),
      token: options.token,
      onChange: options.onChange,
      serverUrl: options.serverUrl,
    })
    return new InboxRoom(base)
  }

  /** True while the relay's state has arrived on the current connection. */
  get synced(): boolean {
    return this.base.synced
  }

  /** True once the relay refused the socket for good (the session is over). */
  get refused(): boolean {
    return this.base.refused
  }

  /** Whether the room holds anything (from the relay now or from an earlier visit). */
  get hasContent(): boolean {
    return this.base.hasContent
  }

  /** The valid items known now (any order). */
  items(): InboxItem[] {
    return [...this.base.doc.getMap<unknown>(ITEMS_FIELD).values()].filter(isInboxItem)
  }

  /** The relay's unread count, or null when the room holds none yet. */
  unread(): number | null {
    const value = this.base.doc.getMap<unknown>(SUMMARY_FIELD).get('unread')
    return typeof value === 'number' && Number.isFinite(value) ? value : null
  }

  /** The 待办 counts the relay publishes (Y.Map `counts`), or null when the room holds none yet. */
  todoCounts(): TodoCounts | null {
    return readCounts(this.base.doc.getMap<unknown>(COUNTS_FIELD).toJSON())
  }

  /** Stops syncing (the local copy stays on disk). */
  destroy(): void {
    this.base.destroy()
  }
}
