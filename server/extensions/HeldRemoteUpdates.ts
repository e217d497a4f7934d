/**
 * Updates another node fanned out that it has not yet said are stored. A node fans an update out
 * before its group commit stores it; if it dies in between, the update lives on only in the other
 * nodes' memory, and a client that moves to one of them would be told 已保存 for it. So each node
 * holds the others' updates until their node says they are durable (RedisExtension: a `storedAll`
 * frame), and stores them itself (PersistenceExtension.adopt) when one of its clients asks whether
 * the room is saved, or when no word has come for `holdMs` (the node died, or Redis lost the word).
 *
 * A node numbers its updates of every room in one sequence (its group commit's), and one word,
 * "every update of mine numbered ≤ n is stored", releases them in every room at once; so the held
 * updates are kept by node, in the order they came (which is their order of numbering: a node's
 * frames reach a subscriber in the order it published them).
 *
 * @example
 *   held.hold('doc:1', nodeId, 7, update, Date.now())
 *   held.stored(nodeId, 7) // dropped: that node has it durably
 *   durability.adopt('doc:1', held.take('doc:1')) // or stored here
 */

interface Held {
  readonly room: string
  readonly seq: number
  readonly update: Uint8Array
  readonly at: number
}

/** The held updates of every node. */
export class HeldRemoteUpdates {
  /** By node, in the order the node numbered them. */
  private readonly nodes = new Map<string, Held[]>()

  /** Holds an update numbered `seq` by node `node`. */
  hold(room: string, node: string, seq: number, update: Uint8Array, now: number): void {
    const held = this.nodes.get(node)
    if (held === undefined) {
      this.nodes.set(node, [{ room, seq, update, at: now }])
    } else {
      held.push({ room, seq, update, at: now })
    }
  }

  /** Node `node` has stored every update of its numbered ≤ `seq`, in every room. */
  stored(node: string, seq: number): void {
    const held = this.nodes.get(node)
    if (held === undefined) {
      return
    }
    // Usually all of them: the word comes after each commit.
    this.keep(node, (held.at(-1)?.seq ?? 0) <= seq ? [] : held.filter((entry) => entry.seq > seq))
  }

  /**
   * Node `node` has stored every update of `room` numbered ≤ `seq` (the per-room word of nodes
   * that predate `stored`, during a rolling upgrade).
   */
  storedInRoom(room: string, node: string, seq: number): void {
    const held = this.nodes.get(node)
    if (held === undefined) {
      return
    }
    this.keep(
      node,
      held.filter((entry) => entry.room !== room || entry.seq > seq),
    )
  }

  /** @returns and forgets every update held for a room */
  take(room: string): Uint8Array[] {
    const taken: Uint8Array[] = []
    for (const [node, held] of this.nodes) {
      if (!held.some((entry) => entry.room === room)) {
        continue
      }
      const kept: Held[] = []
      for (const entry of held) {
        if (entry.room === room) {
          taken.push(entry.update)
        } else {
          kept.push(entry)
        }
      }
      this.keep(node, kept)
    }
    return taken
  }

  /**
   * @returns and forgets, by room, every update of each node whose oldest held update came before
   *   `before`: a node that has said nothing stored for that long has died, or its word was lost.
   */
  takeOlderThan(before: number): Map<string, Uint8Array[]> {
    const taken = new Map<string, Uint8Array[]>()
    for (const [node, held] of this.nodes) {
      if (held[0] === undefined || held[0].at >= before) {
        continue
      }
      this.nodes.delete(node)
      for (const entry of held) {
        const room = taken.get(entry.room)
        if (room === undefined) {
          taken.set(entry.room, [entry.update])
        } else {
          room.push(entry.update)
        }
      }
    }
    return taken
  }

  /** Updates held in all. */
  get size(): number {
    let count = 0
    for (const held of this.nodes.values()) {
      count += held.length
    }
    return count
  }

  private keep(node: string, kept: Held[]): void {
    if (kept.length === 0) {
      this.nodes.delete(node)
    } else {
      this.nodes.set(node, kept)
    }
  }
}
