/**
 * Worker thread that decodes large updates (a catch-up of up to MAX_CATCH_UP_BYTES) off the relay's
 * main thread and cuts them into slices the relay can judge and integrate between other rooms'
 * messages: decoding 5 MB of typed text takes about half a second, integrating it twice that.
 * The order is Yjs's own (integrationOrder.ts) against the room's state vector; deleted ranges
 * follow the structs, split so that no slice deletes more than SLICE_STRUCTS × 10 clocks.
 */
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'
import { SLICE_STRUCTS } from '../../shared/limits'
import { encodeStructs, encodeWaiting } from './encode'
import type { DeleteRange } from './encode'
import { integrationOrder } from './integrationOrder'
import { writtenClients } from './plan'
import { MalformedUpdate, readSections } from './sections'
import type { SliceRequest, SliceResponse, SlicedUpdate } from './sliceProtocol'

const DELETED_CLOCKS_PER_SLICE = SLICE_STRUCTS * 10

if (parentPort === null) {
  throw new Error('sliceWorker must run as a worker thread')
}
const port = parentPort

function slice(update: Uint8Array, stateVector: Uint8Array): SlicedUpdate {
  const sections = readSections(update)
  const state = Y.decodeStateVector(stateVector)
  const stateOf = (client: number) => state.get(client) ?? 0
  const order = integrationOrder(sections.clients, stateOf)
  const slices: Uint8Array[] = []
  for (let i = 0; i < order.ready.length; i += SLICE_STRUCTS) {
    slices.push(encodeStructs(order.ready.slice(i, i + SLICE_STRUCTS), []))
  }
  const applicable: DeleteRange[] = []
  const waiting: DeleteRange[] = []
  for (const [client, ranges] of sections.ds.clients) {
    const after = order.after.get(client) ?? stateOf(client)
    for (const { clock, len } of ranges) {
      const end = clock + len
      for (let from = clock; from < Math.min(end, after); from += DELETED_CLOCKS_PER_SLICE) {
        applicable.push({
          client,
          clock: from,
          len: Math.min(end, after, from + DELETED_CLOCKS_PER_SLICE) - from,
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
    if (clocks + range.len > DELETED_CLOCKS_PER_SLICE && batch.length > 0) {
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

port.on('message', (request: SliceRequest) => {
  let response: SliceResponse
  try {
    response = { id: request.id, ok: true, ...slice(request.update, request.stateVector) }
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      malformed: true,
      message:
        error instanceof MalformedUpdate ? error.message : `undecodable update: ${String(error)}`,
    }
  }
  const transfer = response.ok
    ? [...response.slices, ...(response.waiting === null ? [] : [response.waiting])].map(
        (bytes) => bytes.buffer,
      )
    : []
  port.postMessage(
    response,
    transfer.filter((buffer) => buffer instanceof ArrayBuffer),
  )
})
