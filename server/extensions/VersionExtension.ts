/**
 * Feeds versions and authorship from document rooms: records who wrote each update, and takes an
 * automatic version when a changed document goes quiet or its room unloads (at most one per
 * `minIntervalMs`).
 */
import { QuietTimer } from '../QuietTimer'
import type { Logger } from '../logger'
import type { ChangePayload, Extension, RoomPayload } from '../relay/hooks'
import type { Room } from '../relay/Room'
import { Connection } from '../relay/Connection'
import { LOAD_ORIGIN, REMOTE_ORIGIN } from '../relay/origins'
import { PRIORITY } from './priorities'
import type { VersionService } from '../services/VersionService'
import type { AuthorService } from '../services/AuthorService'

/** Automatic versions and authorship capture. */
export class VersionExtension implements Extension {
  readonly name = 'versions'
  readonly priority = PRIORITY.versions
  /** Each room's pending version timer and its delay. */
  private readonly timers = new Map<string, QuietTimer>()
  private readonly loaded = new Map<string, Room>()

  constructor(
    private readonly versions: VersionService,
    private readonly authors: AuthorService,
    private readonly logger: Logger,
  ) {}

  onChange({ room, update, origin, transaction }: ChangePayload): void {
    // Updates from other nodes are recorded, and versioned, by the node their writer is on.
    if (room.parsed.kind !== 'doc' || origin === LOAD_ORIGIN || origin === REMOTE_ORIGIN) {
      return
    }
    const documentId = room.parsed.id
    this.loaded.set(room.name, room)
    if (origin instanceof Connection) {
      this.versions.noteChange(documentId, origin.identity.userId)
      if (transaction !== null) {
        this.authors.observe(documentId, origin.identity.userId, update, transaction)
      }
    } else {
      this.versions.noteChange(documentId, null)
    }
    this.schedule(room, this.versions.timing.quietMs)
  }

  async onUnloadRoom({ room }: RoomPayload): Promise<void> {
    if (room.parsed.kind !== 'doc') {
      return
    }
    this.cancel(room.name)
    this.loaded.delete(room.name)
    await this.take(room, false)
    this.authors.forget(room.parsed.id)
  }

  async onDestroy(): Promise<void> {
    for (const timer of this.timers.values()) {
      timer.cancel()
    }
    this.timers.clear()
    await this.authors.flush()
  }

  private schedule(room: Room, delayMs: number): void {
    const ms = Math.max(0, delayMs)
    const pending = this.timers.get(room.name)
    if (pending?.ms === ms) {
      // Every update of a room restarts its quiet time: noting it costs far less than a new timer.
      pending.touch()
      return
    }
    this.cancel(room.name)
    const timer = new QuietTimer(ms, () => {
      this.timers.delete(room.name)
      void this.take(room, true)
    })
    this.timers.set(room.name, timer)
  }

  private cancel(name: string): void {
    const pending = this.timers.get(name)
    if (pending !== undefined) {
      pending.cancel()
      this.timers.delete(name)
    }
  }

  private async take(room: Room, retry: boolean): Promise<void> {
    try {
      const result = await this.versions.takeAutomatic(room.parsed.id, room.doc)
      if (typeof result === 'number' && retry && this.loaded.get(room.name) === room) {
        // Too soon after the last version: try again when one is allowed.
        this.schedule(room, result - Date.now())
      }
    } catch (error) {
      this.logger.error('automatic version failed', { room: room.name, error: String(error) })
    }
  }
}
