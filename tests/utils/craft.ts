/**
 * Hand-made Yjs updates for attack tests: each struct is written field by field with Yjs's own
 * V1 encoder, exactly as `Item.write` does, so the bytes are what a hostile client could send —
 * including combinations no Yjs client would produce (an overlapping clock, a parent that
 * contradicts the origin, a client id that belongs to someone else).
 *
 * @example
 *   const update = craftUpdate([
 *     { client: victim, clock: 7, structs: [{ parent: 'comments', content: new Y.ContentString('x') }] },
 *   ])
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { MESSAGE_SYNC } from '../../shared/protocol/messages'

/** One struct of a crafted section. */
export interface CraftedStruct {
  readonly origin?: Y.ID | null
  readonly rightOrigin?: Y.ID | null
  /** A root name or the id of the item holding the parent type; written only without origins. */
  readonly parent?: string | Y.ID | null
  readonly parentSub?: string | null
  readonly content: Y.Item['content']
}

/** The structs of one client, from `clock` on. */
export interface CraftedSection {
  readonly client: number
  readonly clock: number
  readonly structs: readonly CraftedStruct[]
}

/** A deleted range. */
export interface CraftedDeletion {
  readonly client: number
  readonly clock: number
  readonly len: number
}

const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const BITS5 = 31

function writeStruct(encoder: Y.UpdateEncoderV1, struct: CraftedStruct): void {
  const origin = struct.origin ?? null
  const rightOrigin = struct.rightOrigin ?? null
  const parentSub = struct.parentSub ?? null
  const info =
    (struct.content.getRef() & BITS5) |
    (origin === null ? 0 : BIT8) |
    (rightOrigin === null ? 0 : BIT7) |
    (parentSub === null ? 0 : BIT6)
  encoder.writeInfo(info)
  if (origin !== null) {
    encoder.writeLeftID(origin)
  }
  if (rightOrigin !== null) {
    encoder.writeRightID(rightOrigin)
  }
  if (origin === null && rightOrigin === null) {
    const parent = struct.parent ?? null
    if (typeof parent === 'string') {
      encoder.writeParentInfo(true)
      encoder.writeString(parent)
    } else if (parent !== null) {
      encoder.writeParentInfo(false)
      encoder.writeLeftID(parent)
    } else {
      throw new Error('a struct without origins needs a parent')
    }
    if (parentSub !== null) {
      encoder.writeString(parentSub)
    }
  }
  struct.content.write(encoder, 0)
}

/** @returns a V1 update holding the sections (in this order, duplicates kept) and deletions. */
export function craftUpdate(
  sections: readonly CraftedSection[],
  deletions: readonly CraftedDeletion[] = [],
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, sections.length)
  for (const section of sections) {
    encoding.writeVarUint(encoder.restEncoder, section.structs.length)
    encoder.writeClient(section.client)
    encoding.writeVarUint(encoder.restEncoder, section.clock)
    for (const struct of section.structs) {
      writeStruct(encoder, struct)
    }
  }
  const byClient = new Map<number, CraftedDeletion[]>()
  for (const deletion of deletions) {
    byClient.set(deletion.client, [...(byClient.get(deletion.client) ?? []), deletion])
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const range of ranges) {
      encoder.writeDsClock(range.clock)
      encoder.writeDsLen(range.len)
    }
  }
  return encoder.toUint8Array()
}

/** @returns the y-websocket message carrying `update` as a sync update (type 2). */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** @returns the y-websocket message carrying `update` as a sync step 2 (a catch-up). */
export function stepTwoMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** @returns the id of the last item a client wrote in `doc`. */
export function lastId(doc: Y.Doc, client: number): Y.ID {
  return Y.createID(client, Y.getState(doc.store, client) - 1)
}
