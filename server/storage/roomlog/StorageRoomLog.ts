/** The room log on Kysely: used with PostgreSQL, whose driver never blocks the event loop. */
import { foldRoom } from './fold'
import type { RoomLog, RoomLogEntry, SlicedRoom, StoredRoom } from './RoomLog'
import { EMPTY_ROOM, sliceWhole } from './sliceRoom'
import { UpdateSlicer } from '../../policy/UpdateSlicer'
import type { RoomStore } from './RoomStore'

/** Room log through the room log's tables on the relay's own connection pool. */
export class StorageRoomLog implements RoomLog {
  /** Slices snapshots of cold loads on a worker thread of its own (started on first use). */
  private readonly slicer = new UpdateSlicer()

  constructor(private readonly rooms: RoomStore) {}

  append(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    return this.rooms.appendEntries(entries, now)
  }

  load(room: string): Promise<StoredRoom> {
    return this.rooms.load(room)
  }

  /**
   * The snapshot sliced on the slicer's worker, then each update logged after it (each one a
   * flush's merged update, small as a rule). Unlike SQLite's worker, this one does not fold the log
   * in: the room's whole state is known in one piece only when nothing is logged after the snapshot.
   */
  async loadSliced(room: string): Promise<SlicedRoom> {
    const stored = await this.rooms.load(room)
    if (stored.snapshot === null) {
      return stored.updates.length === 0
        ? EMPTY_ROOM
        : { slices: stored.updates, waiting: null, whole: null, logged: stored.updates.length }
    }
    const sliced = await sliceWhole(this.slicer, stored.snapshot, 0)
    if (stored.updates.length === 0) {
      return sliced
    }
    // What waits in the snapshot may be completed by the log: it goes before the log, as before.
    const head = sliced.waiting === null ? sliced.slices : [...sliced.slices, sliced.waiting]
    return {
      slices: [...head, ...stored.updates],
      waiting: null,
      whole: null,
      logged: stored.updates.length,
    }
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

  async close(): Promise<void> {
    await this.slicer.close()
  }
}
