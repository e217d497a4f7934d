/**
 * Client of the slicer worker (sliceWorker.ts): hands it a large update and the room's state
 * vector, gets the update back in slices. The worker starts on first use and again after a crash.
 *
 * @example
 *   const { slices, waiting, clients } = await slicer.slice(update, Y.encodeStateVector(doc))
 */
import type { Worker } from 'node:worker_threads'
import { startTsWorker } from '../workers/startTsWorker'
import { MalformedUpdate } from './sections'
import type { SliceResponse, SlicedUpdate } from './sliceProtocol'

interface Pending {
  resolve: (value: SlicedUpdate) => void
  reject: (error: Error) => void
}

/** Slices large updates on a worker thread. */
export class UpdateSlicer {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closed = false

  /**
   * @returns the update in slices
   * @throws MalformedUpdate when the update is not one Yjs reads as it says
   */
  slice(update: Uint8Array, stateVector: Uint8Array): Promise<SlicedUpdate> {
    if (this.closed) {
      return Promise.reject(new Error('update slicer is closed'))
    }
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, update, stateVector })
    })
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    if (worker !== null) {
      await worker.terminate()
    }
  }

  private start(): Worker {
    const worker = startTsWorker(new URL('./sliceWorker.ts', import.meta.url))
    // An idle slicer does not keep the process alive.
    worker.unref()
    worker.on('message', (response: SliceResponse) => {
      const waiting = this.pending.get(response.id)
      this.pending.delete(response.id)
      if (response.ok) {
        waiting?.resolve({
          slices: response.slices,
          waiting: response.waiting,
          clients: response.clients,
        })
      } else {
        waiting?.reject(
          response.malformed ? new MalformedUpdate(response.message) : new Error(response.message),
        )
      }
    })
    const fail = (error: Error): void => {
      if (this.worker === worker) {
        this.worker = null
      }
      for (const waiting of this.pending.values()) {
        waiting.reject(error)
      }
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`update slicer stopped (exit ${code})`)))
    this.worker = worker
    return worker
  }
}
