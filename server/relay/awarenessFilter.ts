/**
 * Reads and writes awareness updates so the relay can judge each entry before applying it: the
 * `user` field is replaced with the authenticated identity (so nobody can show up under another
 * name), entries for client ids a socket may not publish are dropped, and sizes are capped.
 *
 * Wire format (y-protocols/awareness): varUint count, then per entry varUint clientID,
 * varUint clock, varString JSON state ("null" removes the client).
 *
 * @example
 *   const entries = readAwareness(update).filter((e) => e.clientId === mine)
 *   const out = writeAwareness(entries.map((e) => stampUser(e, user)))
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** The identity shown to others. */
export interface AwarenessUser {
  readonly id: string
  readonly name: string
  readonly color: string
}

/** One entry of an awareness update. */
export interface AwarenessEntry {
  readonly clientId: number
  readonly clock: number
  /** The state's JSON text; "null" removes the client. */
  readonly state: string
}

/**
 * @returns the entries of an awareness update, in order
 * @throws on malformed bytes or JSON (the caller closes the socket)
 */
export function readAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarString(decoder)
    // Parsed here so a malformed state fails the message, not a client that receives it.
    JSON.parse(state)
    entries.push({ clientId, clock, state })
  }
  return entries
}

/** @returns an awareness update of `entries`. */
export function writeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * @returns `entry` with its state's `user` replaced by `user` (a removal stays a removal), its
 *   state as JSON.stringify writes it (the bytes the relay forwards are those y-protocols would
 *   encode from the applied state)
 * @throws when the state is neither null nor a JSON object
 */
export function stampUser(entry: AwarenessEntry, user: AwarenessUser): AwarenessEntry {
  const parsed: unknown = JSON.parse(entry.state)
  if (parsed === null) {
    return entry.state === 'null' ? entry : { ...entry, state: 'null' }
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('awareness state must be an object')
  }
  return { ...entry, state: JSON.stringify({ ...parsed, user }) }
}
