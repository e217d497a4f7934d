/**
 * A stored room made ready for a cold load. Applying a 16 MB document to a Y.Doc takes the relay's
 * thread more than a second, and every other room waits meanwhile. So the room's whole state, one
 * update (the snapshot, or the room log's worker's fold of snapshot and log), is cut on the update
 * slicer's worker into slices in Yjs's integration order (server/policy/sliceUpdate.ts); the relay
 * applies them a few at a time between other rooms' messages (applyInTurns.ts), and answers the
 * first client with the whole update, not a new encoding of the document. The room log's own
 * worker only reads (and folds, when a log follows the snapshot): its appends for other rooms, and
 * with them their save barriers, do not wait for the slicing.
 *
 * @example
 *   const sliced = await sliceWhole(slicer, stored.snapshot, 0)
 */
import { MalformedUpdate } from '../../policy/sections'
import type { UpdateSlicer } from '../../policy/UpdateSlicer'
import type { SlicedRoom } from './RoomLog'
import { SLICED_UPDATE_BYTES } from '../../../shared/limits'

/** The state vector of an empty document: the slices of a cold load go into one. */
const EMPTY_STATE_VECTOR = new Uint8Array([0])

/**
 * Slices of SLICE_STRUCTS structs: about 2 ms of CPU each applied (a 16 MB document of typed text
 * in 987 slices, 2.9 s in all; 2.5 s applied whole); applyInTurns groups them into turns.
 *
 * @param whole the room's state as one update
 * @param logged how many updates are logged after the snapshot (folded into `whole` or not)
 * @returns the slices, which integrate in order without pending structs; an update the policy's
 *   reader refuses as malformed (stored before it existed) is applied whole, as before
 */
export async function sliceWhole(
  slicer: UpdateSlicer,
  whole: Uint8Array,
  logged: number,
): Promise<SlicedRoom> {
  if (whole.length <= SLICED_UPDATE_BYTES) {
    // A millisecond or two applied whole: no slicing, and no slicer worker started for it.
    return { slices: [whole], waiting: null, whole, logged }
  }
  try {
    const { slices, waiting } = await slicer.slice(whole, EMPTY_STATE_VECTOR)
    return { slices, waiting, whole, logged }
  } catch (error) {
    if (!(error instanceof MalformedUpdate)) {
      throw error
    }
    return { slices: [whole], waiting: null, whole, logged }
  }
}

/** An empty room. */
export const EMPTY_ROOM: SlicedRoom = { slices: [], waiting: null, whole: null, logged: 0 }
