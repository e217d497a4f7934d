/**
 * While an approval runs on a document, only its initiator (before the first consent, or when it
 * is back with them) and the current stage's assignees may change the body (DESIGN §7). The
 * document policy asks this synchronously for each update; the approvals module answers from a
 * cache it loads when a room loads and refreshes after each of its commits (other nodes' commits
 * reach this node's cache within its time to live).
 */

/** Who may change a document's body now. */
export interface BodyLocks {
  /** Loads the document's rule (when its room loads). */
  load(documentId: string): Promise<void>
  /** Forgets the document's rule (its room unloaded). */
  forget(documentId: string): void
  /** @returns whether the user may not change the body now (false when no approval runs). */
  locked(documentId: string, userId: string): boolean
}

/** No approvals: nothing is locked. */
export const NO_BODY_LOCKS: BodyLocks = {
  load: async () => {},
  forget: () => {},
  locked: () => false,
}
