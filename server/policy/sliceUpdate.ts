/**
 * Cuts an update into slices Yjs integrates one after the other without pending structs: the
 * structs in Yjs's own integration order (integrationOrder.ts) against a state, `structsPerSlice`
 * at a time, then the deleted ranges, split so that no slice deletes more than ten times that many
 * clocks. Used off the relay's main thread: by the update slicer worker (a writer's large catch-up)
 * and by the room log's worker (a room loaded cold from storage).
 *
 * @example
 *   const { slices, waiting } = sliceUpdate(update, new Map(), SLICE_STRUCTS)
 */
import { SLICE_STRUCTS } from '../../shared/limits'
import { encodeStructs, encodeWaiting } from './encode'
import type { DeleteRange } from './encode'
import { integrationOrder } from './integrationOrder'
import { writtenClients } from './plan'
import { readSections } from './sections'
import type { SlicedUpdate } from './sliceProtocol'

/**
 * @param state each client's clock in the document the slices go into (absent: 0)
 * @returns the slices, what waits for structs neither the state nor the update has, and the client
 *   ids the update writes with
 * @throws MalformedUpdate when the update is not one Yjs reads as it says
 */
export function sliceUpdate(
  update: Uint8Array,
  state: ReadonlyMap<number, number>,
  structsPerSlice: number = SLICE_STRUCTS,
): SlicedUpdate {
  const deletedPerSlice = structsPerSlice * 10
  const sections = readSections(update)
  const stateOf = (client: number) => state.get(client) ?? 0
  const order = integrationOrder(sections.clients, stateOf)
  const slices: Uint8Array[] = []
  for (let i = 0; i < order.ready.length; i += structsPerSlice) {
    slices.push(encodeStructs(order.ready.slice(i, i + structsPerSlice), []))
  }
  const applicable: DeleteRange[] = []
  const waiting: DeleteRange[] = []
  for (const [client, ranges] of sections.ds.clients) {
    const after = order.after.get(client) ?? stateOf(client)
    for (const { clock, len } of ranges) {
      const end = clock + len
      for (let from = clock; from < Math.min(end, after); from += deletedPerSlice) {
        applicable.push({
          client,
          clock: from,
          len: Math.min(end, after, from + deletedPerSlice) - from,
        })
      }
      if (end > after) {
        const from = Math.max(clock, after)
        waiting.push({ client, clock: from, len: end - from })
      }
    }
  }
  let batch: DeleteRange[] = []
  let clocks = 0
  for (const range of applicable) {
    if (clocks + range.len > deletedPerSlice && batch.length > 0) {
      slices.push(encodeStructs([], batch))
      batch = []
      clocks = 0
    }
    batch.push(range)
    clocks += range.len
  }
  if (batch.length > 0) {
    slices.push(encodeStructs([], batch))
  }
  return {
    slices,
    waiting:
      order.waiting.size > 0 || waiting.length > 0 ? encodeWaiting(order.waiting, waiting) : null,
    clients: writtenClients(sections, stateOf),
  }
}
