/**
 * Audits what the relay refuses on open sockets (DESIGN.md §3), through RefusalAuditor, so each
 * (user, room, reason) is one entry however often it repeats: a reader's writes, which are dropped,
 * and the closes for floods (4429), bad messages (4400), oversized messages (1009) and slow
 * consumers (4503). Refused upgrades are audited by the Relay itself; refused updates by the
 * document policy. A write into an authoritative room (approval:, meeting:, inbox:, directory:,
 * written only by the server) closes the socket with 4403 and is audited (DESIGN.md §3).
 */
import * as decoding from 'lib0/decoding'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { SYNC_UPDATE } from '../../shared/protocol/messages'
import { parseRoom } from '../../shared/protocol/rooms'
import type { ConnectionPayload, Extension, MessagePayload } from '../relay/hooks'
import type { MessageVerdict, RefusalSink } from '../relay/verdicts'
import { PRIORITY } from './priorities'

/** Closes that refuse what the client did (others, e.g. a shutdown or a logout, are not refusals). */
const AUDITED_CLOSES: ReadonlySet<CloseEvent> = new Set([
  CloseEvents.rateLimited,
  CloseEvents.badMessage,
  CloseEvents.messageTooBig,
  CloseEvents.slowConsumer,
])

/** Refusals on sockets, into the audit log. */
export class RefusalAuditExtension implements Extension {
  readonly name = 'refusal-audit'
  readonly priority = PRIORITY.refusalAudit

  constructor(private readonly refusals: RefusalSink) {}

  onMessage({ connection, kind, data }: MessagePayload): MessageVerdict {
    const reader = connection.access === 'read' || connection.access === 'none'
    if (kind === 'sync-write' && reader && writesSomething(data)) {
      if (parseRoom(connection.roomName)?.kind !== 'doc') {
        // Authoritative rooms change only through the API: a client write there is an attack or a
        // broken client, and the socket goes (4403), audited once per user, room and reason.
        this.refusals.refuse({
          actor: { id: connection.identity.userId, name: connection.identity.username },
          room: connection.roomName,
          reason: 'authoritative_write',
        })
        return CloseEvents.forbidden
      }
      // An archived document's members (its owner and admins too) only read: their writes are
      // refused as such, so the log tells them from a reader's.
      this.refusals.refuse({
        actor: { id: connection.identity.userId, name: connection.identity.username },
        room: connection.roomName,
        reason:
          connection.identity.archived === true ? 'archived_write_refused' : 'reader_write_dropped',
      })
    }
    return 'accept'
  }

  onDisconnect({ connection }: ConnectionPayload): void {
    const event = connection.closedWith
    if (event === null || !AUDITED_CLOSES.has(event)) {
      return
    }
    this.refusals.refuse({
      actor: { id: connection.identity.userId, name: connection.identity.username },
      room: connection.roomName,
      reason: event.reason,
      detail: { code: event.code },
    })
  }
}

/**
 * @returns whether a sync message would change a document: any incremental update, or a step 2
 * carrying structs. A reader's provider answers the relay's step 1 with a step 2 holding at most
 * a delete set it already shares; that is the handshake, not a write.
 */
function writesSomething(data: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(data)
    decoding.readVarUint(decoder)
    if (decoding.readVarUint(decoder) === SYNC_UPDATE) {
      return true
    }
    const update = decoding.readVarUint8Array(decoder)
    // A Yjs v1 update opens with the number of clients whose structs it carries.
    return update.length > 0 && decoding.readVarUint(decoding.createDecoder(update)) > 0
  } catch {
    // Malformed: the room closes the socket as a bad message, audited then.
    return false
  }
}
