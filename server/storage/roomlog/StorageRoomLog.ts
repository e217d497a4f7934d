/** The room log on Kysely: used with PostgreSQL, whose driver never blocks the event loop. */
import { foldRoom } from './fold'
import type { RoomLog, RoomLogEntry, SlicedRoom, StoredRoom } from './RoomLog'
import { unslicedRoom } from './sliceRoom'
import type { RoomStore } from './RoomStore'

/** Room log through the room log's tables on the relay's own connection pool. */
export class StorageRoomLog implements RoomLog {
  constructor(private readonly rooms: RoomStore) {}

  append(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    return this.rooms.appendEntries(entries, now)
  }

  load(room: string): Promise<StoredRoom> {
    return this.rooms.load(room)
  }

  /**
   * The room as the relay's thread applied it before slicing: with PostgreSQL the reading waits on
   * the network, not the thread, but the applying still takes one step per stored update.
   */
  async loadSliced(room: string): Promise<SlicedRoom> {
    return unslicedRoom(await this.rooms.load(room))
  }

  async compact(room: string, now: number): Promise<number> {
    const stored = await this.rooms.load(room)
    if (stored.updates.length === 0) {
      return 0
    }
    await this.rooms.compact(room, foldRoom(stored, room), stored.lastUpdateId, now)
    return stored.updates.length
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {}
}
