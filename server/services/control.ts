/** What services tell the live relay when authoritative state changes under open sockets. */

/** Implemented by the relay (and fanned out to other nodes when Redis is configured). */
export interface RelayControl {
  /** Closes every socket opened with this session. */
  sessionEnded(tokenHash: string): void
  /** Closes every socket of this user. */
  userDeactivated(userId: string): void
  /**
   * Re-checks this user's access to this document's room on open sockets; with EVERY_MEMBER, the
   * access of every socket in the room (a unit grant changed).
   */
  memberChanged(documentId: string, userId: string): void
}

/** The `userId` of memberChanged meaning every user with a socket in the room. */
export const EVERY_MEMBER = '*'
