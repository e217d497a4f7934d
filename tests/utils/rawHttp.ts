/** Raw HTTP over TCP for tests that send what no HTTP client would (broken request lines, lying lengths). */
import net from 'node:net'

/** Options of rawHttp. */
export interface RawHttpOptions {
  /** Give up (and close) after this long (ms). */
  readonly timeoutMs?: number
  /** Bytes to write once a 101 Switching Protocols arrives (raw WebSocket frames). */
  readonly afterUpgrade?: Uint8Array
  /** End our side after writing (the server sees EOF where a body or header was promised). */
  readonly halfClose?: boolean
  /** Reset the connection (TCP RST) right after writing, before any answer. */
  readonly reset?: boolean
}

/**
 * Writes `request` (latin1) to 127.0.0.1:`port`, half-closes unless an upgrade may follow, and
 * resolves with the response's status line ('' when the server closed without one).
 */
export function rawHttp(
  port: number,
  request: string | Uint8Array,
  options: RawHttpOptions = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    let settled = false
    const done = (): void => {
      if (settled) {
        return
      }
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(received.split('\r\n')[0] ?? '')
    }
    const timer = setTimeout(done, options.timeoutMs ?? 3000)
    socket.on('connect', () => {
      socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request, () => {
        if (options.reset === true) {
          socket.resetAndDestroy()
          done()
        } else if (options.halfClose === true) {
          socket.end()
        }
      })
    })
    let upgraded = false
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (upgraded || !received.includes('\r\n')) {
        return
      }
      const frames = options.afterUpgrade
      if (received.startsWith('HTTP/1.1 101') && frames !== undefined) {
        upgraded = true
        socket.write(frames, () => setTimeout(done, 20))
        return
      }
      done()
    })
    socket.on('close', done)
    socket.on('error', done)
  })
}
