/**
 * Which structs of an update Yjs can integrate now, in which order, and from which clock: the
 * dependency walk of Yjs's `integrateStructs` (yjs 13.6, src/utils/encoding.js), without a document.
 * It needs only each client's state (a document's store, or a state vector in a worker).
 *
 * - A struct starting before its client's state overlaps what is there: Yjs cuts the overlap off
 *   (`offset`) and integrates the rest; one wholly below the state is skipped.
 * - A struct that starts after its client's state, or whose origin, right origin or parent (of
 *   another client) is not there yet, waits. Yjs would park it in the store's pending structs and
 *   integrate it later, unjudged; here it goes to `waiting`, with the rest of its client's structs.
 * - A struct waits while the struct it depends on is itself waiting on the walk's stack (a cycle
 *   in a forged update), where Yjs would lose track of it.
 *
 * Each ready struct's dependencies are in the state or earlier in `ready`, so the ready structs,
 * re-encoded in any grouping that keeps this order (see encode.ts), integrate without pending.
 */
import * as Y from 'yjs'
import type { DecodedStruct } from './sections'

/** A struct Yjs integrates now, from `offset` clocks after its start. */
export interface ReadyStruct {
  readonly struct: Y.Item | Y.GC
  readonly offset: number
}

/** The walk's result. */
export interface IntegrationOrder {
  readonly ready: readonly ReadyStruct[]
  /** Per client, the structs that wait: from the first one that cannot be integrated on. */
  readonly waiting: ReadonlyMap<number, readonly DecodedStruct[]>
  /** Per client, a clock the state must pass before a waiting struct can move (state > clock). */
  readonly missing: ReadonlyMap<number, number>
  /** Each client's state once the ready structs are integrated (only clients of the update). */
  readonly after: ReadonlyMap<number, number>
}

interface Reader {
  readonly structs: readonly DecodedStruct[]
  next: number
}

/** @returns whether `id` names a struct of another client than `own` that the state lacks */
function lacks(id: Y.ID | null, own: number, state: (client: number) => number): id is Y.ID {
  return id !== null && id.client !== own && id.clock >= state(id.client)
}

/**
 * @returns the client whose struct `item` needs and the state lacks, or null. (No closures here:
 *   this runs for every struct of every update.)
 */
function missingDependency(item: Y.Item, state: (client: number) => number): number | null {
  const own = item.id.client
  if (lacks(item.origin, own, state)) {
    return item.origin.client
  }
  if (lacks(item.rightOrigin, own, state)) {
    return item.rightOrigin.client
  }
  const parent: unknown = item.parent
  return parent instanceof Y.ID && lacks(parent, own, state) ? parent.client : null
}

/**
 * @param clients the update's structs by client, each in clock order
 * @param stateOf the state of a client before the update (what the document has)
 */
export function integrationOrder(
  clients: ReadonlyMap<number, readonly DecodedStruct[]>,
  stateOf: (client: number) => number,
): IntegrationOrder {
  const states = new Map<number, number>()
  const state = (client: number): number => {
    let known = states.get(client)
    if (known === undefined) {
      known = stateOf(client)
      states.set(client, known)
    }
    return known
  }
  const readers = new Map<number, Reader>()
  for (const [client, structs] of clients) {
    readers.set(client, { structs, next: 0 })
  }
  // Highest client first, as Yjs does (the order only matters for the walk, not the result).
  const order = [...clients.keys()].sort((a, b) => a - b)
  const ready: ReadyStruct[] = []
  const waiting = new Map<number, DecodedStruct[]>()
  const missing = new Map<number, number>()
  const stack: DecodedStruct[] = []
  const onStack = new Set<number>()

  const need = (client: number, clock: number): void => {
    missing.set(client, Math.max(missing.get(client) ?? -1, clock))
  }
  /** The whole stack waits: each struct on it depends on the one above. */
  const park = (): void => {
    for (const struct of stack) {
      const client = struct.id.client
      const reader = readers.get(client)
      if (reader !== undefined) {
        // The struct on the stack is the last one taken from its reader.
        waiting.set(client, reader.structs.slice(reader.next - 1))
        readers.delete(client)
      }
    }
    stack.length = 0
    onStack.clear()
  }
  const take = (client: number): DecodedStruct | null => {
    const reader = readers.get(client)
    if (reader === undefined || reader.next >= reader.structs.length) {
      return null
    }
    return reader.structs[reader.next++] ?? null
  }

  let head: DecodedStruct | null = null
  for (;;) {
    if (head === null) {
      const popped = stack.pop()
      if (popped !== undefined) {
        onStack.delete(popped.id.client)
        head = popped
      } else {
        while (order.length > 0 && head === null) {
          const client = order[order.length - 1] ?? 0
          head = take(client)
          if (head === null) {
            order.pop()
          }
        }
        if (head === null) {
          break
        }
      }
    }
    const struct: DecodedStruct = head
    head = null
    if (struct instanceof Y.Skip) {
      continue
    }
    const { client, clock } = struct.id
    const offset = state(client) - clock
    if (offset < 0) {
      // A gap before this struct (a Skip, or an earlier update that never came).
      stack.push(struct)
      need(client, clock - 1)
      park()
      continue
    }
    const dependency: number | null =
      struct instanceof Y.Item ? missingDependency(struct, state) : null
    if (dependency !== null) {
      stack.push(struct)
      onStack.add(client)
      const next: DecodedStruct | null = onStack.has(dependency) ? null : take(dependency)
      if (next === null) {
        need(dependency, state(dependency))
        park()
      } else {
        head = next
      }
      continue
    }
    if (offset < struct.length) {
      ready.push({ struct, offset })
      states.set(client, clock + struct.length)
    }
  }

  for (const [client, reader] of readers) {
    if (reader.next < reader.structs.length) {
      waiting.set(client, reader.structs.slice(reader.next))
    }
  }
  const after = new Map<number, number>()
  for (const client of clients.keys()) {
    after.set(client, state(client))
  }
  return { ready, waiting, missing, after }
}
