/** What services tell the live relay when authoritative state changes under open sockets. */

/** Implemented by the relay (and fanned out to other nodes when Redis is configured). */
export interface RelayControl {
  /** Closes every socket opened with this session. */
  sessionEnded(tokenHash: string): void
  /** Closes every socket of this user. */
  userDeactivated(userId: string): void
  /** Re-checks this user's access to this document's room on open sockets. */
  memberChanged(documentId: string, userId: string): void
}
