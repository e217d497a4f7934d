/** Validation and protocol limits shared by the relay and its clients. */

/** Largest single WebSocket message the relay accepts (bytes); larger closes with 1009. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024
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
