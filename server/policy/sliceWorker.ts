/**
 * Worker thread that decodes large updates (a catch-up of up to MAX_CATCH_UP_BYTES) off the relay's
 * main thread and cuts them into slices the relay can judge and integrate between other rooms'
 * messages: decoding 5 MB of typed text takes about half a second, integrating it twice that.
 * The order is Yjs's own against the room's state vector (sliceUpdate.ts).
 */
import os from 'node:os'
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'
import { MalformedUpdate } from './sections'
import type { SliceRequest, SliceResponse } from './sliceProtocol'
import { sliceUpdate } from './sliceUpdate'

if (parentPort === null) {
  throw new Error('sliceWorker must run as a worker thread')
}
const port = parentPort
try {
  // On Linux the nice value is per thread: slicing a catch-up or a cold load yields the CPU to the
  // relay's fan-out when both want it (as the room log's worker does).
  os.setPriority(5)
} catch {
  // Not permitted here: run at the relay's priority.
}

port.on('message', (request: SliceRequest) => {
  let response: SliceResponse
  try {
    response = {
      id: request.id,
      ok: true,
      ...sliceUpdate(request.update, Y.decodeStateVector(request.stateVector)),
    }
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
