/**
 * Transaction origins of changes to a room's Y.Doc that no socket made. A hook's `origin` is one
 * of these or the Connection that sent the update.
 */

/** Updates applied while a room is loaded from storage. */
export const LOAD_ORIGIN = Symbol('load')

/** Changes the server itself makes (RoomPort: a restore, a projection). */
export const SERVER_ORIGIN = Symbol('server')

/** Updates that arrived from another relay node (that node persists them). */
export const REMOTE_ORIGIN = Symbol('remote')
