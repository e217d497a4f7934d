/**
 * Room names. A room is one permission boundary (DESIGN.md §3); its name is `<kind>:<id>`.
 *
 * @example
 *   parseRoom('doc:3f1c…') // { kind: 'doc', id: '3f1c…' }
 */

/** The kinds of room the relay serves. */
export type RoomKind =
  /** One 公文 or working document, CRDT, per-document ACL. */
  | 'doc'
  /** Projection of an approval instance, read-only. */
  | 'approval'
  /** Projection of a meeting, read-only. */
  | 'meeting'
  /** A user's 待办 and notifications, read-only for that user. */
  | 'inbox'
  /** The public directory of one unit, read-only for signed-in users. */
  | 'directory'

/** A parsed room name. */
export interface RoomName {
  readonly kind: RoomKind
  readonly id: string
}

const ROOM_KINDS: ReadonlySet<string> = new Set([
  'doc',
  'approval',
  'meeting',
  'inbox',
  'directory',
])
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** @returns the parsed room, or null when the name is not a valid room name. */
export function parseRoom(name: string): RoomName | null {
  const colon = name.indexOf(':')
  if (colon <= 0) {
    return null
  }
  const kind = name.slice(0, colon)
  const id = name.slice(colon + 1)
  if (!ROOM_KINDS.has(kind) || !ID_PATTERN.test(id)) {
    return null
  }
  return { kind: kind as RoomKind, id }
}

/** @returns the room name of a document. */
export function docRoom(documentId: string): string {
  return `doc:${documentId}`
}
