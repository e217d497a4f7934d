/** The room log on the Kysely storage: used with PostgreSQL, whose driver never blocks the event loop. */
import type { Storage } from '../Storage'
import { foldRoom } from './fold'
import type { RoomLog, RoomLogEntry } from './RoomLog'
import type { StoredRoom } from '../Storage'

/** Room log through `Storage`'s own queries. */
export class StorageRoomLog implements RoomLog {
  constructor(private readonly storage: Storage) {}

  append(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    return this.storage.appendEntries(entries, now)
  }

  load(room: string): Promise<StoredRoom> {
    return this.storage.loadRoom(room)
  }

  async compact(room: string, now: number): Promise<number> {
    const stored = await this.storage.loadRoom(room)
    if (stored.updates.length === 0) {
      return 0
    }
    await this.storage.compactRoom(room, foldRoom(stored, room), stored.lastUpdateId, now)
    return stored.updates.length
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}
