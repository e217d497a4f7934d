/**
 * What hooks answer about incoming messages and updates, and the refusals they throw. Shared by
 * the rooms and the extensions, so neither needs the other's module.
 */
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import type { CloseEvent } from '../../shared/protocol/closeEvents'
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP1 } from '../../shared/protocol/messages'
import type { AuditActor } from '../audit/events'
import type { Refusal } from '../audit/RefusalAuditor'

/** Thrown by hooks to refuse a connection or close one, with the close event to send. */
export class RelayRefusal extends Error {
  /**
   * @param event the close event to send
   * @param actor who was refused, when known (for the audit: a known user refused a room)
   */
  constructor(
    readonly event: CloseEvent,
    readonly actor: AuditActor | null = null,
  ) {
    super(event.reason)
    this.name = 'RelayRefusal'
  }
}

/** Where the relay reports the refusals it audits (RefusalAuditor: de-duplicated, never throws). */
export interface RefusalSink {
  refuse(refusal: Refusal): void
}

/** The verdict of `onMessage` hooks. */
export type MessageVerdict =
  /** Handle the message. */
  | 'accept'
  /** Ignore this message but keep the connection. */
  | 'drop'
  /** Close the connection with this event. */
  | CloseEvent

/** The verdict of `beforeApplyUpdate` hooks: apply, or refuse and close with this event. */
export type UpdateVerdict = 'accept' | CloseEvent

/** Kinds of incoming message `onMessage` is told about. */
export type IncomingKind = 'sync-read' | 'sync-write' | 'awareness' | 'other'

/** A document update a client sent, with its structs decoded once for every hook. */
export interface IncomingUpdate {
  /** The update as received (Yjs update format v1). */
  readonly update: Uint8Array
  /**
   * `Y.decodeUpdate(update)`: the structs and delete set, not integrated. Decoded on first use, so
   * a large catch-up is never decoded whole on the relay's main thread unless a hook asks.
   */
  readonly decoded: ReturnType<typeof Y.decodeUpdate>
  /**
   * What to apply instead of `update`, set by a `beforeApplyUpdate` hook that judged the update and
   * rewrote it (e.g. without parts that must wait); null applies nothing this round. Left unset,
   * `update` is applied as received.
   */
  apply?: Uint8Array | null
  /**
   * Set by a hook that integrates the update in slices: after applying `apply`, the relay serves
   * other messages, then runs the `beforeApplyUpdate` hooks and applies again.
   */
  more?: boolean
}

/** @returns an incoming update whose structs are decoded when first asked for. */
export function incomingUpdate(update: Uint8Array): IncomingUpdate {
  let decoded: ReturnType<typeof Y.decodeUpdate> | null = null
  return {
    update,
    get decoded() {
      decoded ??= Y.decodeUpdate(update)
      return decoded
    },
  }
}

/** Clears what the hooks set for the previous slice of an update. */
export function startRound(incoming: IncomingUpdate): void {
  incoming.apply = undefined
  incoming.more = false
}

/** @returns the kind of a y-websocket message, from its first bytes. */
export function messageKind(data: Uint8Array): IncomingKind {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  if (type === MESSAGE_SYNC) {
    return decoding.readVarUint(decoder) === SYNC_STEP1 ? 'sync-read' : 'sync-write'
  }
  return type === MESSAGE_AWARENESS ? 'awareness' : 'other'
}
