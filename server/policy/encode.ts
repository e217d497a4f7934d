/**
 * Writes structs back as a Yjs update (format v1) with Yjs's own writers: `Item.write(encoder,
 * offset)` drops a cut-off overlap and makes the struct's origin its client's previous item, which
 * is where Yjs links such a struct anyway; `GC.write` likewise. The relay hands Yjs only updates it
 * wrote this way once it has judged them (or the original bytes, when nothing had to change).
 *
 * @example
 *   const update = encodeStructs(order.ready.slice(0, 2000), [])
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import type { ReadyStruct } from './integrationOrder'
import type { DecodedStruct } from './sections'

/** A deleted range of one client. */
export interface DeleteRange {
  readonly client: number
  readonly clock: number
  readonly len: number
}

function writeDeletions(encoder: Y.UpdateEncoderV1, deletions: readonly DeleteRange[]): void {
  const byClient = new Map<number, DeleteRange[]>()
  for (const range of deletions) {
    let list = byClient.get(range.client)
    if (list === undefined) {
      list = []
      byClient.set(range.client, list)
    }
    list.push(range)
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, ranges] of byClient) {
    ranges.sort((a, b) => a.clock - b.clock)
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const range of ranges) {
      encoder.writeDsClock(range.clock)
      encoder.writeDsLen(range.len)
    }
  }
}

/**
 * @param structs structs in an order where each one's dependencies come first; each client's
 *   structs contiguous from the first one's cut
 * @returns the update carrying them, cut by their offsets, and the deletions
 */
export function encodeStructs(
  structs: readonly ReadyStruct[],
  deletions: readonly DeleteRange[],
): Uint8Array {
  const byClient = new Map<number, ReadyStruct[]>()
  for (const ready of structs) {
    const client = ready.struct.id.client
    let list = byClient.get(client)
    if (list === undefined) {
      list = []
      byClient.set(client, list)
    }
    list.push(ready)
  }
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of byClient) {
    const first = list[0]
    if (first === undefined) {
      continue
    }
    encoding.writeVarUint(encoder.restEncoder, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, first.struct.id.clock + first.offset)
    for (const { struct, offset } of list) {
      struct.write(encoder, offset)
    }
  }
  writeDeletions(encoder, deletions)
  return encoder.toUint8Array()
}

/** @returns waiting structs (each client's from its first waiting one) as an update, with deletions */
export function encodeWaiting(
  waiting: ReadonlyMap<number, readonly DecodedStruct[]>,
  deletions: readonly DeleteRange[],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const sections = [...waiting.entries()].filter(([, list]) => list.length > 0)
  encoding.writeVarUint(encoder.restEncoder, sections.length)
  for (const [client, list] of sections) {
    encoding.writeVarUint(encoder.restEncoder, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, list[0]?.id.clock ?? 0)
    for (const struct of list) {
      if (struct instanceof Y.Skip) {
        // Yjs's own encoding of a gap in a merged update (info 10, then its length).
        encoder.writeInfo(10)
        encoding.writeVarUint(encoder.restEncoder, struct.length)
      } else {
        struct.write(encoder, 0)
      }
    }
  }
  writeDeletions(encoder, deletions)
  return encoder.toUint8Array()
}
