/** The room log on SQLite, served by a worker thread so the relay's event loop never waits on disk. */
import type { Worker } from 'node:worker_threads'
import { startTsWorker } from '../../workers/startTsWorker'
import type { RoomLogRequest, RoomLogResponse, RoomLogValue, RoomLogWorkerData } from './protocol'
import type { RoomLog, RoomLogEntry, SlicedRoom, StoredRoom, WholeRoom } from './RoomLog'
import { UpdateSlicer } from '../../policy/UpdateSlicer'
import { EMPTY_ROOM, sliceWhole } from './sliceRoom'

type Pending = {
  resolve: (value: RoomLogValue) => void
  reject: (error: Error) => void
}

/** Distributes the requests without their id. */
type Request = RoomLogRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never

function isStoredRoom(value: RoomLogValue): value is StoredRoom {
  return typeof value === 'object' && value !== null && 'snapshot' in value
}

function isWholeRoom(value: RoomLogValue): value is WholeRoom {
  return typeof value === 'object' && value !== null && 'whole' in value
}

/** Room log client of `roomLogWorker`; the worker starts on first use and restarts after a crash. */
export class WorkerRoomLog implements RoomLog {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closed = false
  /** Slices cold loads on a worker of its own, so that the log's worker is free for appends. */
  private readonly slicer = new UpdateSlicer()

  constructor(
    private readonly file: string,
    private readonly checkpointMs = 1000,
  ) {}

  async append(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    if (entries.length > 0) {
      await this.call({ op: 'append', entries, now })
    }
  }

  async load(room: string): Promise<StoredRoom> {
    const value = await this.call({ op: 'load', room })
    if (!isStoredRoom(value)) {
      throw new Error('room log worker answered a load without a room')
    }
    return value
  }

  /** Read (and folded, when a log follows the snapshot) on the log's worker, sliced on the slicer's. */
  async loadSliced(room: string): Promise<SlicedRoom> {
    const value = await this.call({ op: 'loadWhole', room })
    if (!isWholeRoom(value)) {
      throw new Error('room log worker answered a load without a room')
    }
    if (value.parts !== undefined) {
      return { slices: value.parts, waiting: null, whole: null, logged: value.logged }
    }
    return value.whole === null ? EMPTY_ROOM : sliceWhole(this.slicer, value.whole, value.logged)
  }

  async compact(room: string, now: number): Promise<number> {
    const value = await this.call({ op: 'compact', room, now })
    return typeof value === 'number' ? value : 0
  }

  async ready(): Promise<void> {
    await this.call({ op: 'ping' })
  }

  async close(): Promise<void> {
    if (this.closed) {
      return
    }
    await this.slicer.close()
    const worker = this.worker
    if (worker !== null) {
      // Listen before asking: the worker may be gone before the answer's continuation runs.
      const exited = new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
      })
      await this.call({ op: 'close' })
      await exited
    }
    this.closed = true
  }

  private call(request: Request): Promise<RoomLogValue> {
    if (this.closed) {
      return Promise.reject(new Error('room log is closed'))
    }
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ ...request, id })
    })
  }

  private start(): Worker {
    const data: RoomLogWorkerData = { file: this.file, checkpointMs: this.checkpointMs }
    const worker = startTsWorker(new URL('./roomLogWorker.ts', import.meta.url), data)
    worker.on('message', (response: RoomLogResponse) => {
      const waiting = this.pending.get(response.id)
      this.pending.delete(response.id)
      if (response.ok) {
        waiting?.resolve(response.value)
      } else {
        waiting?.reject(new Error(response.message))
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
    worker.on('exit', (code) => fail(new Error(`room log worker stopped (exit ${code})`)))
    this.worker = worker
    return worker
  }
}
