/**
 * The sync status chip's state, derived from facts about the connection. Pure, so the rule that
 * decides when to say 已保存 is tested on its own.
 */

/** What the chip tells the user. */
export type SyncState =
  /** Connected, synced, and the relay has acknowledged every local change. */
  | 'saved'
  /** Connected but still exchanging changes (first sync, or local changes not yet acknowledged). */
  | 'syncing'
  /** Not connected; local changes are kept in IndexedDB and sent on reconnect. */
  | 'offline'

/** The facts the state is derived from. */
export interface SyncFacts {
  /** The provider's socket status. */
  readonly connection: 'connected' | 'connecting' | 'disconnected'
  /** The provider finished the initial sync exchange on the current socket. */
  readonly synced: boolean
  /** Local changes exist that the relay has not yet acknowledged. */
  readonly pending: boolean
}

/** @returns the chip state for the given facts. */
export function deriveSyncState(facts: SyncFacts): SyncState {
  if (facts.connection !== 'connected') {
    return 'offline'
  }
  if (!facts.synced || facts.pending) {
    return 'syncing'
  }
  return 'saved'
}
