/**
 * A stored room made ready for a cold load. Applying a 16 MB document to a Y.Doc takes the relay's
 * thread more than a second, and every other room waits meanwhile. So the room log's worker folds
 * the snapshot and the log into one update and cuts it into slices in Yjs's integration order
 * (server/policy/sliceUpdate.ts); the relay applies them a few at a time between other rooms'
 * messages (applyInTurns.ts), and answers the first client with the whole update, not a new
 * encoding of the document.
 *
 * @example
 *   // in the room log's worker
 *   port.postMessage(sliceStoredRoom(load(room), room))
 */
import { MalformedUpdate } from '../../policy/sections'
import { sliceUpdate } from '../../policy/sliceUpdate'
import { SLICE_STRUCTS } from '../../../shared/limits'
import { foldRoom } from './fold'
import type { SlicedRoom, StoredRoom } from './RoomLog'

/**
 * Slices of SLICE_STRUCTS structs: about 2–5 ms of CPU each on this machine's typed text (a
 * 1.6 MB document, 49,000 structs, 281 ms applied whole); applyInTurns groups them into turns.
 *
 * @returns the room as slices that integrate in order without pending structs, with its whole
 *   state; an update Yjs reads differently from the policy's reader is applied whole, as before
 */
export function sliceStoredRoom(stored: StoredRoom, room: string): SlicedRoom {
  const logged = stored.updates.length
  if (stored.snapshot === null && logged === 0) {
    return { slices: [], waiting: null, whole: null, logged }
  }
  // A snapshot alone is the room's state as it was stored: folding it would only re-encode it.
  const whole = logged === 0 && stored.snapshot !== null ? stored.snapshot : foldRoom(stored, room)
  try {
    const { slices, waiting } = sliceUpdate(whole, new Map(), SLICE_STRUCTS)
    return { slices, waiting, whole, logged }
  } catch (error) {
    if (!(error instanceof MalformedUpdate)) {
      throw error
    }
    return { slices: [whole], waiting: null, whole, logged }
  }
}

/**
 * The room unsliced, as the relay's thread applied it before slicing (snapshot, then each logged
 * update): for a room log without a worker.
 */
export function unslicedRoom(stored: StoredRoom): SlicedRoom {
  const logged = stored.updates.length
  return {
    slices: stored.snapshot === null ? stored.updates : [stored.snapshot, ...stored.updates],
    waiting: null,
    whole: logged === 0 ? stored.snapshot : null,
    logged,
  }
}
