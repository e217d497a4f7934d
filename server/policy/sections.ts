/**
 * Reads a Yjs update (format v1) into its per-client sections, as Yjs's own integration reads them,
 * and refuses the shapes where `Y.decodeUpdate` and the integration would disagree or where Yjs
 * would throw half-way through a transaction:
 *
 * - a client named in two sections (Yjs keeps only the last one; decodeUpdate yields both) or a
 *   section without structs (it would erase an earlier section of its client in Yjs's reader);
 * - an item whose origin, right origin or parent is a later clock of its own client (Yjs looks it
 *   up in the store without checking and throws).
 *
 * @example
 *   const { clients, ds } = readSections(update)  // throws MalformedUpdate
 */
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'

/** An update no honest Yjs encoder produces; the relay closes the socket as a bad message. */
export class MalformedUpdate extends Error {
  override readonly name = 'MalformedUpdate'
}

/** A struct as decoded: an item, a garbage-collected range, or a gap (Skip) of a merged update. */
export type DecodedStruct = Y.Item | Y.GC | Y.Skip

/** A Yjs delete set (the type is not exported by name). */
export type DeleteSet = ReturnType<typeof Y.createDeleteSet>

/** An update's structs by client (each in clock order, contiguous) and its delete set. */
export interface Sections {
  readonly clients: ReadonlyMap<number, readonly DecodedStruct[]>
  readonly ds: DeleteSet
  /** How many structs the update holds (Skips included). */
  readonly structCount: number
}

function ahead(id: Y.ID | null, client: number, clock: number): boolean {
  return id !== null && id.client === client && id.clock >= clock
}

function forwardReference(item: Y.Item): boolean {
  const { client, clock } = item.id
  const parent: unknown = item.parent
  return (
    ahead(item.origin, client, clock) ||
    ahead(item.rightOrigin, client, clock) ||
    (parent instanceof Y.ID && ahead(parent, client, clock))
  )
}

/**
 * @returns the update's sections
 * @throws MalformedUpdate (or a decoding error) when the bytes are not an update Yjs reads as they say
 */
export function readSections(update: Uint8Array): Sections {
  const declared = decoding.readVarUint(decoding.createDecoder(update))
  const decoded = Y.decodeUpdate(update)
  const clients = new Map<number, DecodedStruct[]>()
  let sections = 0
  let previous: DecodedStruct | null = null
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    const sameRun =
      previous !== null &&
      previous.id.client === client &&
      previous.id.clock + previous.length === clock
    if (!sameRun) {
      if (clients.has(client)) {
        throw new MalformedUpdate(`client ${client} has two sections`)
      }
      clients.set(client, [])
      sections++
    }
    if (struct instanceof Y.Item && forwardReference(struct)) {
      throw new MalformedUpdate(`struct ${client}:${clock} refers to a later clock of its client`)
    }
    clients.get(client)?.push(struct)
    previous = struct
  }
  if (sections !== declared) {
    // Two adjacent sections of one client, or an empty one: Yjs would read them differently.
    throw new MalformedUpdate(`update declares ${declared} sections, holds ${sections}`)
  }
  return { clients, ds: decoded.ds, structCount: decoded.structs.length }
}

/**
 * @returns the sections of an update decoded already (no check of how it was encoded: for updates
 *   the relay made itself, and for tests)
 */
export function sectionsOf(decoded: ReturnType<typeof Y.decodeUpdate>): Sections {
  const clients = new Map<number, DecodedStruct[]>()
  for (const struct of decoded.structs) {
    let list = clients.get(struct.id.client)
    if (list === undefined) {
      list = []
      clients.set(struct.id.client, list)
    }
    list.push(struct)
  }
  return { clients, ds: decoded.ds, structCount: decoded.structs.length }
}
