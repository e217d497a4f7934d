/** Folding a stored room (snapshot + log) into one update, shared by both room log implementations. */
import * as Y from 'yjs'
import type { StoredRoom } from '../Storage'

/** @returns the state of `stored` as one update, with deleted content garbage-collected. */
export function foldRoom(stored: StoredRoom): Uint8Array {
  const doc = new Y.Doc({ gc: true })
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
