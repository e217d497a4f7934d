/**
 * The control channel between relay nodes (RedisExtension): session, account, membership, readers
 * and document-lifecycle events, acted on here and published for every other node to act on too.
 */
import type { DocumentLifecycleChange, ReadersChange, RelayControl } from '../relay/ports'

/** The `userId` of a member event that means every socket of the room (a unit grant). */
const EVERY_MEMBER = '*'

/** An event on the control channel, as JSON. */
export type ControlEvent =
  | { type: 'session'; tokenHash: string }
  | { type: 'user'; userId: string }
  | { type: 'member'; documentId: string; userId: string }
  | { type: 'readers'; target: ReadersChange }
  | { type: 'lifecycle'; documentId: string; change: DocumentLifecycleChange }

/** @returns a RelayControl that acts on `local` and publishes each event for the other nodes. */
export function broadcastControl(
  local: RelayControl,
  publish: (event: ControlEvent) => void,
): RelayControl {
  return {
    sessionEnded: (tokenHash) => {
      local.sessionEnded(tokenHash)
      publish({ type: 'session', tokenHash })
    },
    userDeactivated: (userId) => {
      local.userDeactivated(userId)
      publish({ type: 'user', userId })
    },
    memberChanged: (documentId, userId) => {
      local.memberChanged(documentId, userId)
      publish({ type: 'member', documentId, userId })
    },
    unitAccessChanged: (documentId) => {
      local.unitAccessChanged(documentId)
      publish({ type: 'member', documentId, userId: EVERY_MEMBER })
    },
    readersChanged: (target) => {
      local.readersChanged(target)
      publish({ type: 'readers', target })
    },
    documentLifecycle: (documentId, change) => {
      local.documentLifecycle(documentId, change)
      publish({ type: 'lifecycle', documentId, change })
    },
  }
}

/** Acts on another node's event here (unknown lifecycle changes are ignored). */
export function applyControl(local: RelayControl, event: ControlEvent): void {
  switch (event.type) {
    case 'session':
      local.sessionEnded(event.tokenHash)
      return
    case 'user':
      local.userDeactivated(event.userId)
      return
    case 'member':
      if (event.userId === EVERY_MEMBER) {
        local.unitAccessChanged(event.documentId)
      } else {
        local.memberChanged(event.documentId, event.userId)
      }
      return
    case 'readers':
      local.readersChanged(event.target)
      return
    case 'lifecycle':
      if (event.change === 'deleted' || event.change === 'archived') {
        local.documentLifecycle(event.documentId, event.change)
      }
      return
  }
}
