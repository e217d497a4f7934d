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
  /**
   * A commenter's change went beyond comments and suggestions and the relay refused it: stop and
   * say so (the member keeps their access; the document is not forgotten).
   */
  | 'update-refused'
  /** A change marked the document 秘密/机密/绝密: stop and show the 机要 message. */
  | 'classified-refused'
  /**
   * This device's changes were larger than the relay takes (1009): stop, keep them aside and offer
   * to export them (resending would only be refused again).
   */
  | 'too-large'
  /** The relay does not know the room: stop and say the document does not exist. */
  | 'unknown-room'
  /** The account must set its password before anything else (activation code): go and set it. */
  | 'password-change-required'
  /** The document was archived (归档): reopen it, read-only. */
  | 'archived'
  /** The document went to the 回收站: stop, forget it, and say so. */
  | 'deleted'

/**
 * @param code the close code (null: closed locally or by the network)
 * @param reason the close reason the relay sent with it; it tells the 4403 refusals apart
 * @returns what to do about the close
 */
export function closeAction(code: number | null, reason = ''): CloseAction {
  switch (code) {
    case CloseEvents.unauthorized.code:
      return 'session-ended'
    case CloseEvents.deactivated.code:
      return 'deactivated'
    case CloseEvents.forbidden.code:
      if (reason === CloseEvents.updateRefused.reason) {
        return 'update-refused'
      }
      if (reason === CloseEvents.passwordChangeRequired.reason) {
        return 'password-change-required'
      }
      if (reason === CloseEvents.documentArchived.reason) {
        return 'archived'
      }
      if (reason === CloseEvents.documentDeleted.reason) {
        return 'deleted'
      }
      return reason === CloseEvents.classifiedRefused.reason ? 'classified-refused' : 'forbidden'
    case CloseEvents.unknownRoom.code:
      return 'unknown-room'
    case CloseEvents.messageTooBig.code:
      return 'too-large'
    default:
      return 'reconnect'
  }
}

/** @returns the i18n key of the message that explains a terminal close to the user. */
export function closeMessageKey(action: Exclude<CloseAction, 'reconnect'>): string {
  switch (action) {
    case 'session-ended':
      return 'login.sessionEnded'
    case 'deactivated':
      return 'login.accountDeactivated'
    case 'forbidden':
      return 'editor.forbidden'
    case 'update-refused':
      return 'docs.close.updateRefused'
    case 'classified-refused':
      return 'docs.close.classifiedRefused'
    case 'too-large':
      return 'docs.close.tooLarge'
    case 'unknown-room':
      return 'editor.notFound'
    case 'password-change-required':
      return 'errors.passwordChangeRequired'
    case 'archived':
      return 'docs.lifecycle.archived'
    case 'deleted':
      return 'docs.close.deleted'
  }
}
