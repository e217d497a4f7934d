/**
 * Presence frames between relay nodes (RedisExtension): each awareness entry crosses with the user
 * who owns its client id, and a receiving node applies only the entries whose owner it agrees with
 * (PresenceOwners), so one node's laxity cannot put a colleague's client id under another name.
 *
 * Payload: varUint count, count × (varUint client id, varString user id), then the awareness
 * update as a varUint8Array.
 *
 * @example
 *   const payload = ownedAwareness(owners, room.name, update) // null: nothing this node vouches for
 *   applyOwnedAwareness(owners, room, payload) // on the other node
 */
import * as awarenessProtocol from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { PresenceOwners } from '../relay/PresenceOwners'
import type { Room } from '../relay/Room'
import { REMOTE_ORIGIN } from '../relay/origins'
import { readAwareness, writeAwareness } from '../relay/awarenessFilter'

/** @returns the frame payload of the entries of a local awareness update whose owner is known, or null */
export function ownedAwareness(
  owners: PresenceOwners,
  room: string,
  update: Uint8Array,
): Uint8Array | null {
  const entries = readAwareness(update).flatMap((entry) => {
    const owner = owners.ownerOf(room, entry.clientId)
    return owner === null ? [] : [{ entry, owner }]
  })
  if (entries.length === 0) {
    return null
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { entry, owner } of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarString(encoder, owner)
  }
  encoding.writeVarUint8Array(encoder, writeAwareness(entries.map(({ entry }) => entry)))
  return encoding.toUint8Array(encoder)
}

/**
 * Applies the entries of another node's awareness frame whose owners this node agrees with.
 * @throws a decoding error when the payload is malformed
 */
export function applyOwnedAwareness(owners: PresenceOwners, room: Room, payload: Uint8Array): void {
  const decoder = decoding.createDecoder(payload)
  const claimed = new Map<number, string>()
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    const clientId = decoding.readVarUint(decoder)
    claimed.set(clientId, decoding.readVarString(decoder))
  }
  const kept = readAwareness(decoding.readVarUint8Array(decoder)).filter((entry) => {
    const owner = claimed.get(entry.clientId)
    return owner !== undefined && owners.claim(room.name, entry.clientId, owner)
  })
  if (kept.length > 0) {
    awarenessProtocol.applyAwarenessUpdate(room.awareness, writeAwareness(kept), REMOTE_ORIGIN)
  }
}
