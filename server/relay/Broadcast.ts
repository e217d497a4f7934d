/**
 * One message for many sockets, framed once. A room's update goes to every other socket of the
 * room; through `ws.send` each recipient paid for the same work again (a Buffer view of the
 * message, a frame header, a header-and-payload list written with cork/writev). A Broadcast holds
 * the finished WebSocket frame (RFC 6455 §5.2: FIN, binary, unmasked as a server sends, no
 * extension; the relay negotiates no permessage-deflate) and each socket that keeps up gets the
 * same Buffer in one write. A socket that does not keep up queues `payload`, a view of the same
 * bytes, which its Outbox writes through ws as before.
 *
 * @example
 *   const message = Broadcast.of(MESSAGE_SYNC_UPDATE_PREFIX, update)
 *   for (const connection of connections) connection.sendBroadcast(message)
 */
import { Socket } from 'node:net'
import type WebSocket from 'ws'

/** FIN + the binary opcode: a whole binary message in one frame. */
const FIN_BINARY = 0x82
/** The 16-bit and 64-bit extended payload lengths (RFC 6455 §5.2). */
const LENGTH_16 = 126
const LENGTH_64 = 127

/** @returns the length of the frame header of a `length`-byte payload. */
function headerLength(length: number): number {
  if (length < LENGTH_16) {
    return 2
  }
  return length <= 0xffff ? 4 : 10
}

/** A message framed once, for every socket it goes to. */
export class Broadcast {
  private constructor(
    /** The whole frame: header and payload. */
    readonly frame: Buffer,
    /** The message itself (a view into `frame`). */
    readonly payload: Buffer,
  ) {}

  /**
   * @param prefix the message's first bytes (its type, or type and step)
   * @param body written after the prefix as a varUint length and the bytes (lib0's
   *   writeVarUint8Array), when given
   * @returns the message `prefix` [+ length(body) + body], framed
   */
  static of(prefix: Uint8Array, body?: Uint8Array): Broadcast {
    const lengthBytes = body === undefined ? 0 : varUintLength(body.length)
    const size = prefix.length + lengthBytes + (body?.length ?? 0)
    const header = headerLength(size)
    const frame = Buffer.allocUnsafe(header + size)
    frame[0] = FIN_BINARY
    if (header === 2) {
      frame[1] = size
    } else if (header === 4) {
      frame[1] = LENGTH_16
      frame.writeUInt16BE(size, 2)
    } else {
      frame[1] = LENGTH_64
      frame.writeUInt32BE(Math.floor(size / 2 ** 32), 2)
      frame.writeUInt32BE(size >>> 0, 6)
    }
    let at = header
    frame.set(prefix, at)
    at += prefix.length
    if (body !== undefined) {
      at = writeVarUint(frame, at, body.length)
      frame.set(body, at)
    }
    return new Broadcast(frame, frame.subarray(header))
  }
}

/** @returns how many bytes lib0's writeVarUint takes for `value`. */
function varUintLength(value: number): number {
  let bytes = 1
  for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 128)) {
    bytes++
  }
  return bytes
}

/** Writes `value` as lib0's varUint (7 bits a byte, low first). @returns the offset after it */
function writeVarUint(target: Buffer, offset: number, value: number): number {
  let at = offset
  let rest = value
  while (rest > 0x7f) {
    target[at++] = 0x80 | (rest & 0x7f)
    rest = Math.floor(rest / 128)
  }
  target[at++] = rest
  return at
}

/**
 * @returns the TCP socket under a ws socket that may take prebuilt frames directly: open, with no
 *   extension negotiated (a frame of ours would lack its bits); null when frames must go through
 *   `ws.send`
 */
export function frameWriter(socket: WebSocket): Socket | null {
  if (socket.extensions !== '') {
    return null
  }
  // reason: ws keeps the TCP socket in a private field; this is its only way to share one frame.
  const raw: unknown = Reflect.get(socket, '_socket')
  return raw instanceof Socket ? raw : null
}
