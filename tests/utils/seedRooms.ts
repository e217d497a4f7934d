/** Stores rooms' documents in a relay's data folder through the relay's own storage API. */
import { openDatabase } from '../../server/storage/database'
import { KyselyStorage } from '../../server/storage/Storage'

/**
 * Stores each document as the snapshot of its room (the relay must be stopped: SQLite has one
 * writer), as a room unloaded after editing is stored.
 */
export async function seedRooms(
  dataDir: string,
  rooms: readonly { name: string; update: Uint8Array }[],
): Promise<void> {
  const storage = new KyselyStorage(openDatabase({ dataDir, databaseUrl: null }))
  try {
    const now = Date.now()
    for (const room of rooms) {
      const last = await storage.rooms.appendUpdates(room.name, [room.update], now)
      await storage.rooms.compact(room.name, room.update, last, now)
    }
  } finally {
    await storage.close()
  }
}
