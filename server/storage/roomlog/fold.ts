/** Folding a stored room (snapshot + log) into one update, shared by both room log implementations. */
import * as Y from 'yjs'
import type { StoredRoom } from './RoomLog'

/**
 * @returns the state of `stored` as one update. Deleted content is garbage-collected except in
 * document rooms (`doc:`), whose versions and 留痕 diffs need the text each author removed.
 */
export function foldRoom(stored: StoredRoom, room: string): Uint8Array {
  // A guid of our own: Yjs's random one costs 31 calls to crypto.getRandomValues (see Room).
  const doc = new Y.Doc({ gc: !room.startsWith('doc:'), guid: room })
  try {
    Y.transact(doc, () => {
      if (stored.snapshot !== null) {
        Y.applyUpdate(doc, stored.snapshot)
      }
      for (const update of stored.updates) {
        Y.applyUpdate(doc, update)
      }
    })
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
