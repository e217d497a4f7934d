/** Validation and protocol limits shared by the relay and its clients. */

/** Largest single WebSocket message the relay accepts (bytes); larger closes with 1009. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024
/**
 * Largest catch-up a member who may write can send in one message (bytes): the sync step 2 or
 * update that carries work done offline. The relay integrates it in slices; larger closes with 1009.
 */
export const MAX_CATCH_UP_BYTES = 32 * 1024 * 1024
/**
 * Deepest nesting of Y types under each root of a document room: a type directly in the root is at
 * depth 1. The body's ProseMirror nodes nest lists in tables (table > row > cell > list > item >
 * paragraph > text, two more per list level); a thread is a map (1) with a replies array (2).
 */
export const MAX_NESTING: Readonly<Record<string, number>> = {
  body: 32,
  meta: 1,
  comments: 2,
  suggestions: 1,
}
/** Deepest nesting under any other root of a document room. */
export const MAX_NESTING_OTHER = 8
/** Structs integrated in one slice of a large update; other rooms are served between slices. */
export const SLICE_STRUCTS = 500
/** Updates larger than this (bytes) are decoded off the relay's main thread and integrated in slices. */
export const SLICED_UPDATE_BYTES = 64 * 1024
/** How long the relay holds an update part whose dependencies are missing, waiting for them (ms). */
export const HOLD_MS = 5000
/** Most held update parts per connection; beyond, the connection closes (its client resyncs). */
export const MAX_HELD_UPDATES = 64
/** Most bytes of held update parts per connection. */
export const MAX_HELD_BYTES = 8 * 1024 * 1024
/** Largest awareness state one client may publish (bytes of the encoded update). */
export const MAX_AWARENESS_BYTES = 4 * 1024
/** Awareness updates one connection may send per second; the rest are dropped. */
export const AWARENESS_PER_SECOND = 20
/** Messages of any kind one connection may send per second before it is closed. */
export const MESSAGES_PER_SECOND = 400
/**
 * Bytes a connection may have queued for sending, beyond the sync answer being written, before it
 * is closed as a slow consumer (slow_consumer).
 */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
/** Interval between server pings (ms); a peer that misses one is closed. */
export const PING_INTERVAL_MS = 30_000
/** A session expires after this much idle time (ms). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000
/** Longest document title, in characters. */
export const MAX_TITLE_LENGTH = 200
/** Shortest password, in characters (password policy). */
export const MIN_PASSWORD_LENGTH = 8
/**
 * Messages one connection may have waiting to be handled (behind a save barrier or an update whose
 * hooks wait); a connection with more is flooding and is closed with 4429.
 */
export const MAX_QUEUED_MESSAGES = 1000
/** Bytes one connection may have waiting to be handled (room for a catch-up update and more). */
export const MAX_QUEUED_BYTES = Math.max(16 * 1024 * 1024, 2 * MAX_MESSAGE_BYTES)
