/**
 * WebSocket close events used by the relay. Codes 4xxx are application codes; the renderer maps
 * each `reason` to a user-facing message (Chinese first) in its i18n tables.
 *
 * @example
 *   socket.close(CloseEvents.forbidden.code, CloseEvents.forbidden.reason)
 */

/** One close event: the numeric code sent on the wire and a stable machine reason. */
export interface CloseEvent {
  readonly code: number
  readonly reason: string
}

export const CloseEvents = {
  /** No token, an unknown token, an expired session, or the session was logged out. */
  unauthorized: { code: 4401, reason: 'unauthorized' },
  /** The user has no right to this room. */
  forbidden: { code: 4403, reason: 'forbidden' },
  /**
   * A document update was refused: a commenter changed something other than comments and
   * suggestions. Same code as `forbidden`, so clients stop; the reason tells the two apart.
   */
  updateRefused: { code: 4403, reason: 'update_refused' },
  /** A document update marked the document classified (秘密/机密/绝密): only the 机要 channel may carry it. */
  classifiedRefused: { code: 4403, reason: 'classified_refused' },
  /**
   * The account signed in with an activation code and must set its password before anything else
   * (DESIGN.md §6): it opens no socket. Same code as `forbidden`, so clients do not retry.
   */
  passwordChangeRequired: { code: 4403, reason: 'password_change_required' },
  /**
   * The document went to the 回收站: its room takes no socket until it is restored. Same code as
   * `forbidden`, so clients stop; the reason tells them to drop the document from their lists.
   */
  documentDeleted: { code: 4403, reason: 'document_deleted' },
  /**
   * The document was archived (归档): read-only for everyone from now on. Same code as `forbidden`,
   * so clients stop sending; the reason tells them to reopen it read-only.
   */
  documentArchived: { code: 4403, reason: 'document_archived' },
  /** The room name is not one the relay knows. */
  unknownRoom: { code: 4404, reason: 'unknown_room' },
  /** The account was deactivated by an admin. */
  deactivated: { code: 4410, reason: 'account_deactivated' },
  /** The client sent more messages than its per-connection budget allows. */
  rateLimited: { code: 4429, reason: 'rate_limited' },
  /** The client sent bytes that are not a valid y-websocket message. */
  badMessage: { code: 4400, reason: 'bad_message' },
  /**
   * The relay could not take the client's updates as sent (what they depend on never came, or the
   * document moved under a catch-up): the client reconnects, and the sync exchange resends them.
   */
  resync: { code: 4409, reason: 'resync' },
  /** A single message was larger than the relay accepts (RFC 6455 "message too big"). */
  messageTooBig: { code: 1009, reason: 'message_too_big' },
  /** The relay is shutting down; the client should reconnect later. */
  goingAway: { code: 1001, reason: 'going_away' },
  /**
   * The relay could not store the client's changes for a while (its database failed): they were
   * not acknowledged as saved, and the client should reconnect and send them again (RFC 6455
   * registry: 1013 Try Again Later).
   */
  storageUnavailable: { code: 1013, reason: 'storage_unavailable' },
  /** The peer stopped answering pings. */
  timeout: { code: 4408, reason: 'ping_timeout' },
  /**
   * The client read too slowly: more was queued for it than the relay keeps per socket. Not
   * terminal: reconnect, and the sync answer brings the document up to date.
   */
  slowConsumer: { code: 4503, reason: 'slow_consumer' },
  /** The relay failed to handle the socket (a bug, logged there); the client may reconnect. */
  internalError: { code: 1011, reason: 'internal_error' },
} as const satisfies Record<string, CloseEvent>

/** Close codes after which a client must not reconnect with the same credentials. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseEvents.unauthorized.code,
  CloseEvents.forbidden.code,
  CloseEvents.unknownRoom.code,
  CloseEvents.deactivated.code,
])
