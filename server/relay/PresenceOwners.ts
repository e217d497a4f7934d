/**
 * Which user owns which awareness (presence) client id in which room, remembered after the
 * connection that published it has closed: the first user to publish a client id in a room keeps
 * it for `ttlMs` after it was last seen. Without this memory a reader could publish a colleague's
 * client id the moment the colleague disconnected, and the colleague, back with the same id (a
 * provider keeps its document's client id across reconnections), would show under the reader's
 * name. Memory is bounded: the least recently seen ids and rooms are forgotten first.
 *
 * This is one node's memory; RedisExtension.claimPresence shares the claims between nodes.
 *
 * @example
 *   if (!owners.claim('doc:1', clientId, userId)) dropPresence()
 */

/** Tuning of the memory. */
export interface PresenceOwnersOptions {
  /** How long a claim lasts after its client id was last seen (ms). */
  readonly ttlMs: number
  /** Most client ids remembered per room. */
  readonly maxPerRoom: number
  /** Most rooms remembered. */
  readonly maxRooms: number
}

const DEFAULTS: PresenceOwnersOptions = {
  ttlMs: 24 * 60 * 60 * 1000,
  maxPerRoom: 4096,
  maxRooms: 20_000,
}

interface Claim {
  readonly userId: string
  seen: number
}

/** Client-id ownership per room. */
export class PresenceOwners {
  /** Room → client id → claim; both maps in least-recently-seen-first order. */
  private readonly rooms = new Map<string, Map<number, Claim>>()

  constructor(
    private readonly options: PresenceOwnersOptions = DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** @returns the user owning `clientId` in `room`, or null when nobody does (or the claim lapsed). */
  ownerOf(room: string, clientId: number): string | null {
    const claim = this.rooms.get(room)?.get(clientId)
    if (claim === undefined || this.now() - claim.seen > this.options.ttlMs) {
      return null
    }
    return claim.userId
  }

  /**
   * Claims `clientId` in `room` for `userId`, or renews the claim of the same user.
   * @returns whether `userId` owns the client id now (false: another user does)
   */
  claim(room: string, clientId: number, userId: string): boolean {
    const owner = this.ownerOf(room, clientId)
    if (owner !== null && owner !== userId) {
      return false
    }
    let claims = this.rooms.get(room)
    if (claims === undefined) {
      claims = new Map()
    }
    // Re-inserting keeps both maps in least-recently-seen-first order.
    this.rooms.delete(room)
    this.rooms.set(room, claims)
    claims.delete(clientId)
    claims.set(clientId, { userId, seen: this.now() })
    forgetOldest(claims, this.options.maxPerRoom)
    forgetOldest(this.rooms, this.options.maxRooms)
    return true
  }
}

function forgetOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next()
    if (oldest.done === true) {
      return
    }
    map.delete(oldest.value)
  }
}
