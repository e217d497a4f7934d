/** What the editor does when the relay closes its socket with an application close code. */
import { CloseEvents } from '../../../shared/protocol/closeEvents'

/** The editor's reaction to a close. */
export type CloseAction =
  /** Keep reconnecting (network trouble, relay restart, rate limit). */
  | 'reconnect'
  /** The session is over: stop, forget it locally, go to the login screen. */
  | 'session-ended'
  /** The account was deactivated: stop, forget the session, say so on the login screen. */
  | 'deactivated'
  /** No right to this document (any more): stop and say 无权访问该文档. */
  | 'forbidden'
  /** The relay does not know the room: stop and say the document does not exist. */
  | 'unknown-room'

/** @returns what to do about a socket closed with `code` (null: closed locally or by the network). */
export function closeAction(code: number | null): CloseAction {
  switch (code) {
    case CloseEvents.unauthorized.code:
      return 'session-ended'
    case CloseEvents.deactivated.code:
      return 'deactivated'
    case CloseEvents.forbidden.code:
      return 'forbidden'
    case CloseEvents.unknownRoom.code:
      return 'unknown-room'
    default:
      return 'reconnect'
  }
}
