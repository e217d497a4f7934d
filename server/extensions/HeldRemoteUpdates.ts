/**
 * Updates another node fanned out that it has not yet said are stored. A node fans an update out
 * before its group commit stores it; if it dies in between, the update lives on only in the other
 * nodes' memory, and a client that moves to one of them would be told 已保存 for it. So each node
 * holds the others' updates until their node says they are durable (RedisExtension: KIND_STORED),
 * and stores them itself (PersistenceExtension.adopt) when one of its clients asks whether the room
 * is saved, or when no word has come for `holdMs` (the node died, or Redis lost the word).
 *
 * @example
 *   held.hold('doc:1', nodeId, 7, update, Date.now())
 *   held.stored('doc:1', nodeId, 7) // dropped: that node has it durably
 *   durability.adopt('doc:1', held.take('doc:1')) // or stored here
 */

interface Held {
  readonly seq: number
  readonly update: Uint8Array
  readonly at: number
}

/** The held updates of every room, by origin node. */
export class HeldRemoteUpdates {
  private readonly rooms = new Map<string, Map<string, Held[]>>()

  /** Holds an update numbered `seq` by node `node`. */
  hold(room: string, node: string, seq: number, update: Uint8Array, now: number): void {
    let nodes = this.rooms.get(room)
    if (nodes === undefined) {
      nodes = new Map()
      this.rooms.set(room, nodes)
    }
    const held = nodes.get(node)
    if (held === undefined) {
      nodes.set(node, [{ seq, update, at: now }])
    } else {
      held.push({ seq, update, at: now })
    }
  }

  /** Node `node` has stored every update of its numbered ≤ `seq`: they need not be held. */
  stored(room: string, node: string, seq: number): void {
    const nodes = this.rooms.get(room)
    const held = nodes?.get(node)
    if (nodes === undefined || held === undefined) {
      return
    }
    const kept = held.filter((entry) => entry.seq > seq)
    if (kept.length === 0) {
      nodes.delete(node)
      if (nodes.size === 0) {
        this.rooms.delete(room)
      }
    } else {
      nodes.set(node, kept)
    }
  }

  /** @returns and forgets every update held for a room */
  take(room: string): Uint8Array[] {
    const nodes = this.rooms.get(room)
    this.rooms.delete(room)
    return nodes === undefined ? [] : [...nodes.values()].flat().map((entry) => entry.update)
  }

  /** @returns and forgets, by room, the updates held since before `before` (and those after them) */
  takeOlderThan(before: number): Map<string, Uint8Array[]> {
    const taken = new Map<string, Uint8Array[]>()
    for (const [room, nodes] of this.rooms) {
      for (const [node, held] of nodes) {
        if (held[0] !== undefined && held[0].at < before) {
          nodes.delete(node)
          taken.set(room, [...(taken.get(room) ?? []), ...held.map((entry) => entry.update)])
        }
      }
      if (nodes.size === 0) {
        this.rooms.delete(room)
      }
    }
    return taken
  }

  /** Updates held in all. */
  get size(): number {
    let count = 0
    for (const nodes of this.rooms.values()) {
      for (const held of nodes.values()) {
        count += held.length
      }
    }
    return count
  }
}
