/**
 * Applies a cold load's slices to a room's Y.Doc a few at a time, one turn of the event loop each,
 * so other rooms' messages are served between them (sliceRoom.ts cuts the slices).
 *
 * @example
 *   await applyInTurns(room.doc, sliced.slices, LOAD_ORIGIN)
 */
import * as Y from 'yjs'
import { SLICED_UPDATE_BYTES } from '../../../shared/limits'

/** Time a turn may spend applying slices before it yields (ms). */
export const LOAD_TURN_MS = 8

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Applies `updates` in order, each in its own transaction with `origin`, yielding to the event loop
 * whenever a turn has taken `turnMs`.
 *
 * Each transaction ends without Yjs's merging of the structs it added. Yjs merges adjacent structs
 * of a client at the end of a transaction; of a document typed at scattered places, two runs that
 * are adjacent until a later slice inserts between them are merged, then split again by that slice,
 * and each split inserts into the client's array of structs (a copy of most of it). Applied whole,
 * a 16 MB document took 2.5 s of CPU; in 987 slices 47 s, 20 times that, almost all in these splits.
 * Telling the transaction that its structs were there before it (`beforeState`, which the merge
 * reads) skips the merge: 2.9 s, and the same structs as a whole apply, since the stored update was
 * merged where it could be. Only for loads: no observer of the document is registered yet (they
 * read `beforeState` too), nor the room's `update` listener (Room.open).
 */
export async function applyInTurns(
  doc: Y.Doc,
  updates: readonly Uint8Array[],
  origin: unknown,
  turnMs: number = LOAD_TURN_MS,
): Promise<void> {
  if (updates.reduce((sum, update) => sum + update.length, 0) <= SLICED_UPDATE_BYTES) {
    // A small room: a millisecond or two in one ordinary transaction (its structs merged).
    Y.transact(
      doc,
      () => {
        for (const update of updates) {
          Y.applyUpdate(doc, update, origin)
        }
      },
      origin,
    )
    return
  }
  let turnStarted = performance.now()
  for (const update of updates) {
    if (performance.now() - turnStarted >= turnMs) {
      await nextTurn()
      turnStarted = performance.now()
    }
    Y.transact(
      doc,
      (transaction) => {
        Y.applyUpdate(doc, update, origin)
        transaction.beforeState = Y.decodeStateVector(Y.encodeStateVector(doc))
      },
      origin,
    )
  }
}
