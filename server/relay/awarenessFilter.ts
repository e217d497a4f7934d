/**
 * Rewrites a client's awareness update before the relay applies it: the `user` field is replaced
 * with the authenticated identity (so nobody can show up under another name), entries for client
 * ids owned by other sockets are dropped (so nobody can move or remove another's caret), and the
 * update is capped in size.
 *
 * Wire format (y-protocols/awareness): varUint count, then per entry varUint clientID,
 * varUint clock, varString JSON state ("null" removes the client).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MAX_AWARENESS_BYTES } from '../../shared/limits'

/** The identity shown to others. */
export interface AwarenessUser {
  readonly id: string
  readonly name: string
  readonly color: string
}

const PALETTE = ['#c0392b', '#2471a3', '#1e8449', '#b9770e', '#7d3c98', '#117a65', '#a04000', '#2e4053']

/** @returns a stable colour for a user id. */
export function colorFor(userId: string): string {
  let hash = 0
  for (let i = 0; i < userId.length; i++) {
    hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  }
  return PALETTE[hash % PALETTE.length]!
}

/**
 * @param update the raw awareness update from the client
 * @param owns whether this socket may publish the given client id
 * @returns the rewritten update and the client ids it touches, or null to drop it entirely
 * @throws on malformed bytes (the caller closes the socket)
 */
export function rewriteAwareness(
  update: Uint8Array,
  user: AwarenessUser,
  owns: (clientId: number) => boolean,
): { update: Uint8Array; clientIds: number[] } | null {
  if (update.length > MAX_AWARENESS_BYTES) {
    return null
  }
  const decoder = decoding.createDecoder(update)
  const encoder = encoding.createEncoder()
  const count = decoding.readVarUint(decoder)
  const entries: { clientId: number; clock: number; state: string }[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const parsed: unknown = JSON.parse(decoding.readVarString(decoder))
    if (!owns(clientId)) {
      continue
    }
    if (parsed === null) {
      entries.push({ clientId, clock, state: 'null' })
      continue
    }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('awareness state must be an object')
    }
    entries.push({ clientId, clock, state: JSON.stringify({ ...parsed, user }) })
  }
  if (entries.length === 0) {
    return null
  }
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  const out = encoding.toUint8Array(encoder)
  return out.length > MAX_AWARENESS_BYTES ? null : { update: out, clientIds: entries.map((e) => e.clientId) }
}
