/**
 * The parts of document updates whose dependencies have not arrived yet (DocumentPolicyExtension):
 * held by the relay, bounded per connection, judged and applied when what they depend on arrives,
 * dropped after HOLD_MS. A connection's save barrier waits until none of its parts is held.
 *
 * @example
 *   held.hold(connection, room, encodeRest(plan), plan.order.missing)
 *   held.changed(room) // after any change of the room: retry what may now be placeable
 */
import * as Y from 'yjs'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { HOLD_MS, MAX_HELD_BYTES, MAX_HELD_UPDATES, SLICED_UPDATE_BYTES } from '../../shared/limits'
import type { Logger } from '../logger'
import type { Connection } from '../relay/Connection'
import type { Room } from '../relay/Room'
import type { Refusal } from '../policy/judge'
import { encodeReady, encodeRest, hasWaiting } from '../policy/plan'
import type { UpdatePlan } from '../policy/plan'
import { readSections } from '../policy/sections'
import type { Sections } from '../policy/sections'

interface HeldPart {
  readonly room: Room
  readonly sections: Sections
  readonly bytes: number
  missing: ReadonlyMap<number, number>
  readonly timer: NodeJS.Timeout
}

/** What the held parts need of the policy. */
export interface HoldPolicy {
  /** Plans and judges a held part against the room's document as it is now. */
  judge(
    connection: Connection,
    room: Room,
    sections: Sections,
  ): { plan: UpdatePlan; refusal: Refusal | null }
  /** Audits a refusal. @returns the close event to send */
  refuse(connection: Connection, room: Room, refusal: Refusal, bytes: number): CloseEvent
  /** Counts a part held, or dropped. */
  counted(event: 'held' | 'dropped'): void
}

/** Held update parts, per connection and per room. */
export class HeldUpdates {
  private readonly held = new Map<Connection, HeldPart[]>()
  private readonly heldRooms = new Map<Room, Set<Connection>>()
  private readonly barrierWaiters = new Map<Connection, (() => void)[]>()
  private readonly retrying = new Set<Room>()

  constructor(
    private readonly policy: HoldPolicy,
    private readonly logger: Logger,
  ) {}

  /** Keeps a part of an update whose dependencies are missing, to judge when they arrive. */
  hold(
    connection: Connection,
    room: Room,
    bytes: Uint8Array,
    missing: ReadonlyMap<number, number>,
  ): void {
    const parts = this.held.get(connection) ?? []
    const total = parts.reduce((sum, part) => sum + part.bytes, 0) + bytes.length
    if (bytes.length > SLICED_UPDATE_BYTES) {
      // Structs the sender itself could not place (someone else's, out of order): not kept.
      this.policy.counted('dropped')
      this.logger.warn('waiting part of an update dropped', {
        room: room.name,
        bytes: bytes.length,
      })
      return
    }
    if (parts.length >= MAX_HELD_UPDATES || total > MAX_HELD_BYTES) {
      this.logger.warn('too many held updates; the client resyncs', { room: room.name })
      connection.close(CloseEvents.resync)
      return
    }
    const part: HeldPart = {
      room,
      sections: readSections(bytes),
      bytes: bytes.length,
      missing,
      timer: setTimeout(() => this.expire(connection, part), HOLD_MS),
    }
    part.timer.unref()
    parts.push(part)
    this.held.set(connection, parts)
    let connections = this.heldRooms.get(room)
    if (connections === undefined) {
      connections = new Set()
      this.heldRooms.set(room, connections)
    }
    connections.add(connection)
    this.policy.counted('held')
  }

  /** The room changed: once the change is done, retry the parts held in it. */
  changed(room: Room): void {
    if ((this.heldRooms.get(room)?.size ?? 0) === 0 || this.retrying.has(room)) {
      return
    }
    this.retrying.add(room)
    queueMicrotask(() => {
      this.retrying.delete(room)
      this.retry(room)
    })
  }

  /**
   * The save barrier of a connection: resolves once nothing it sent is held any more.
   * @returns undefined when nothing is held
   */
  barrier(connection: Connection): Promise<void> | undefined {
    if ((this.held.get(connection)?.length ?? 0) === 0) {
      return undefined
    }
    return new Promise((resolve) => {
      const waiters = this.barrierWaiters.get(connection) ?? []
      waiters.push(resolve)
      this.barrierWaiters.set(connection, waiters)
    })
  }

  /** The connection closed: its held parts go, and its barrier is released. */
  drop(connection: Connection): void {
    for (const part of this.held.get(connection) ?? []) {
      clearTimeout(part.timer)
      this.heldRooms.get(part.room)?.delete(connection)
    }
    this.held.delete(connection)
    this.releaseBarrier(connection)
  }

  /** The room unloaded. */
  forget(room: Room): void {
    this.heldRooms.delete(room)
  }

  /** Plans the held parts whose dependencies moved; judges and applies what became placeable. */
  private retry(room: Room): void {
    const store = room.doc.store
    for (const connection of [...(this.heldRooms.get(room) ?? [])]) {
      const parts = this.held.get(connection) ?? []
      for (const part of [...parts]) {
        const moved = [...part.missing].some(([client, clock]) => Y.getState(store, client) > clock)
        if (!moved || !connection.isOpen) {
          continue
        }
        const { plan, refusal } = this.policy.judge(connection, room, part.sections)
        if (refusal === null && plan.order.ready.length === 0 && plan.deletions.length === 0) {
          part.missing = plan.order.missing
          continue
        }
        parts.splice(parts.indexOf(part), 1)
        clearTimeout(part.timer)
        if (refusal !== null) {
          connection.close(this.policy.refuse(connection, room, refusal, part.bytes))
          break
        }
        Y.applyUpdate(room.doc, encodeReady(plan), connection)
        if (hasWaiting(plan)) {
          this.hold(connection, room, encodeRest(plan), plan.order.missing)
        }
      }
      if ((this.held.get(connection)?.length ?? 0) === 0) {
        this.heldRooms.get(room)?.delete(connection)
        this.releaseBarrier(connection)
      }
    }
  }

  /** A held part whose dependencies never came is dropped (its sender resends it at its next sync). */
  private expire(connection: Connection, part: HeldPart): void {
    const parts = this.held.get(connection) ?? []
    const at = parts.indexOf(part)
    if (at < 0) {
      return
    }
    parts.splice(at, 1)
    this.policy.counted('dropped')
    this.logger.warn('held update dropped: what it depends on never came', {
      room: part.room.name,
      user: connection.identity.userId,
      bytes: part.bytes,
    })
    if (parts.length === 0) {
      this.heldRooms.get(part.room)?.delete(connection)
      this.releaseBarrier(connection)
    }
  }

  private releaseBarrier(connection: Connection): void {
    const waiters = this.barrierWaiters.get(connection) ?? []
    this.barrierWaiters.delete(connection)
    for (const resolve of waiters) {
      resolve()
    }
  }
}
