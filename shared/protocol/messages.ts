/**
 * y-websocket message framing, as numeric constants. Each message starts with a varUint type;
 * sync messages carry a second varUint naming the sync step (see y-protocols/sync).
 */

/** Sync message: followed by one of the SyncStep constants. */
export const MESSAGE_SYNC = 0
/** Awareness (presence) update. */
export const MESSAGE_AWARENESS = 1
/** Auth message: the server tells the client that permission was denied. */
export const MESSAGE_AUTH = 2
/** Client asks for the current awareness states. */
export const MESSAGE_QUERY_AWARENESS = 3

/** Sync step 1: a state vector. Harmless from a reader. */
export const SYNC_STEP1 = 0
/** Sync step 2: the missing updates. Writes the document. */
export const SYNC_STEP2 = 1
/** An incremental update. Writes the document. */
export const SYNC_UPDATE = 2
