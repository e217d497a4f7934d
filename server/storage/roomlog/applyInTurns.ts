/**
 * Applies a cold load's slices to a room's Y.Doc a few at a time, one turn of the event loop each,
 * so other rooms' messages are served between them (sliceRoom.ts cuts the slices).
 *
 * @example
 *   await applyInTurns(room.doc, sliced.slices, LOAD_ORIGIN)
 */
import * as Y from 'yjs'

/** Time a turn may spend applying slices before it yields (ms). */
export const LOAD_TURN_MS = 8

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Applies `updates` in order, each in its own transaction with `origin`, yielding to the event loop
 * whenever a turn has taken `turnMs`.
 */
export async function applyInTurns(
  doc: Y.Doc,
  updates: readonly Uint8Array[],
  origin: unknown,
  turnMs: number = LOAD_TURN_MS,
): Promise<void> {
  let turnStarted = performance.now()
  for (const update of updates) {
    if (performance.now() - turnStarted >= turnMs) {
      await nextTurn()
      turnStarted = performance.now()
    }
    Y.applyUpdate(doc, update, origin)
  }
}
