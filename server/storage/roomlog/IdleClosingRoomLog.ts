/**
 * A room log that closes itself when it has had nothing to do for a while and opens again on the
 * next request (issue 23). It wraps the worker-backed log: the worker is a V8 isolate of its own
 * (some 14 MB), so a relay whose documents have all been closed gives that memory back. The cost is
 * the next request's wait while a new worker starts (about 40 ms of CPU), after `idleMs` of quiet.
 */
import type { RoomLog, RoomLogEntry, SlicedRoom, StoredRoom } from './RoomLog'

/** How long the log may idle before it closes (ms): longer than a room's unload delay (10 s). */
export const ROOM_LOG_IDLE_MS = 60_000

/** Opens the log on demand; closes it after `idleMs` without a request in flight. */
export class IdleClosingRoomLog implements RoomLog {
  private log: RoomLog | null = null
  /** The close of a log that idled, while it runs; a new log opens after it. */
  private closing: Promise<void> | null = null
  private inFlight = 0
  private idleTimer: NodeJS.Timeout | null = null
  private closed = false

  /**
   * @param open makes a new log (called on the first request after a start or an idle close)
   * @param idleMs quiet time after the last request before the log closes
   * @param onCloseError told when an idle close fails (the next request opens a new log anyway)
   */
  constructor(
    private readonly open: () => RoomLog,
    private readonly idleMs = ROOM_LOG_IDLE_MS,
    private readonly onCloseError: (error: unknown) => void = () => {},
  ) {}

  /** Whether a log (and so its worker) is open now. */
  get isOpen(): boolean {
    return this.log !== null
  }

  append(entries: readonly RoomLogEntry[], now: number): Promise<void> {
    return this.use((log) => log.append(entries, now))
  }

  load(room: string): Promise<StoredRoom> {
    return this.use((log) => log.load(room))
  }

  loadSliced(room: string): Promise<SlicedRoom> {
    return this.use((log) => log.loadSliced(room))
  }

  compact(room: string, now: number): Promise<number> {
    return this.use((log) => log.compact(room, now))
  }

  ready(): Promise<void> {
    return this.use((log) => log.ready())
  }

  async close(): Promise<void> {
    this.closed = true
    this.disarm()
    await this.closing
    const log = this.log
    this.log = null
    await log?.close()
  }

  private async use<T>(work: (log: RoomLog) => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new Error('room log is closed')
    }
    this.disarm()
    this.inFlight++
    try {
      // A log closing for idleness finishes first: one writer on the file at a time.
      await this.closing
      if (this.closed) {
        throw new Error('room log is closed')
      }
      this.log ??= this.open()
      return await work(this.log)
    } finally {
      this.inFlight--
      this.arm()
    }
  }

  private arm(): void {
    if (this.inFlight > 0 || this.closed || this.log === null || this.idleTimer !== null) {
      return
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      this.closeIdle()
    }, this.idleMs)
    this.idleTimer.unref()
  }

  private disarm(): void {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer)
      this.idleTimer = null
    }
  }

  private closeIdle(): void {
    const log = this.log
    if (log === null || this.inFlight > 0 || this.closed) {
      return
    }
    this.log = null
    this.closing = log
      .close()
      .catch((error: unknown) => this.onCloseError(error))
      .finally(() => {
        this.closing = null
      })
  }
}
