/**
 * A small pool of worker threads verifying SM2 signatures (sm2VerifyWorker.ts), so a burst of
 * signed actions never stalls the relay's event loop. Work is bounded: at most `maxQueued`
 * verifications wait; beyond that `verify` rejects (the caller answers 503). Threads start with
 * the first verifications (one per verification until `size`), not with the relay: each costs
 * memory, and most relays verify nothing for long stretches.
 *
 * @example
 *   const pool = new Sm2VerifyPool(2)
 *   const ok = await pool.verify(actionSigningBytes(action), signature, device.publicKey)
 */
import type { Worker } from 'node:worker_threads'
import { startTsWorker } from '../workers/startTsWorker'
import type { VerifyRequest, VerifyResponse } from './sm2VerifyProtocol'

interface Pending {
  resolve(ok: boolean): void
  reject(error: Error): void
}

/** Thrown when too many verifications wait. */
export class VerifyQueueFull extends Error {
  constructor() {
    super('SM2 verification queue full')
    this.name = 'VerifyQueueFull'
  }
}

/** SM2 verification on worker threads. */
export class Sm2VerifyPool {
  private readonly workers: Worker[] = []
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private turn = 0
  private closed = false

  constructor(
    private readonly size = 2,
    private readonly maxQueued = 2000,
  ) {}

  /** @returns whether the signature verifies. @throws VerifyQueueFull, or once closed */
  verify(data: Uint8Array, signature: string, publicKey: string): Promise<boolean> {
    if (this.closed) {
      return Promise.reject(new Error('SM2 verification pool closed'))
    }
    if (this.pending.size >= this.maxQueued) {
      return Promise.reject(new VerifyQueueFull())
    }
    const worker = this.nextWorker()
    const id = this.nextId++
    const request: VerifyRequest = { id, data, signature, publicKey }
    return new Promise<boolean>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage(request)
    })
  }

  /** Stops the workers; waiting verifications reject. */
  async close(): Promise<void> {
    this.closed = true
    for (const waiting of this.pending.values()) {
      waiting.reject(new Error('SM2 verification pool closed'))
    }
    this.pending.clear()
    await Promise.all(this.workers.map((worker) => worker.terminate()))
    this.workers.length = 0
  }

  private nextWorker(): Worker {
    if (this.workers.length < this.size) {
      const worker = startTsWorker(new URL('./sm2VerifyWorker.ts', import.meta.url))
      worker.unref()
      worker.on('message', (response: VerifyResponse) => {
        const waiting = this.pending.get(response.id)
        if (waiting !== undefined) {
          this.pending.delete(response.id)
          waiting.resolve(response.ok)
        }
      })
      worker.on('error', (error) => this.fail(worker, error))
      this.workers.push(worker)
      return worker
    }
    this.turn = (this.turn + 1) % this.workers.length
    const worker = this.workers[this.turn]
    if (worker === undefined) {
      throw new Error('no SM2 worker')
    }
    return worker
  }

  /** A worker died: everything waiting fails (the callers answer 500), and it is replaced. */
  private fail(worker: Worker, error: Error): void {
    const index = this.workers.indexOf(worker)
    if (index >= 0) {
      this.workers.splice(index, 1)
    }
    for (const waiting of this.pending.values()) {
      waiting.reject(error)
    }
    this.pending.clear()
  }
}
