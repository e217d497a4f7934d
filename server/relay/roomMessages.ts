/** The y-websocket messages a room writes itself: sync updates, awareness, the empty receipt. */
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import {
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '../../shared/protocol/messages'
import { EMPTY_UPDATE } from './SyncAnswers'

/** The answer to a step 1 after the first: a sync step 2 of an empty update. */
export const RECEIPT = new Uint8Array([
  MESSAGE_SYNC,
  SYNC_STEP2,
  EMPTY_UPDATE.length,
  ...EMPTY_UPDATE,
])
/** What precedes the update in a sync update message, and the update in an awareness message. */
export const SYNC_UPDATE_PREFIX = new Uint8Array([MESSAGE_SYNC, SYNC_UPDATE])
export const AWARENESS_PREFIX = new Uint8Array([MESSAGE_AWARENESS])

/** @returns `update` as a sync update message */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** @returns an awareness update as an awareness message */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}
