import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import * as encoding from 'lib0/encoding'
import { FRAGMENT_BYTES, Outbox, SOCKET_HIGH_WATER } from '../../../server/relay/Outbox'
import { Broadcast } from '../../../server/relay/Broadcast'

const servers: WebSocketServer[] = []
const clients: WebSocket[] = []

afterEach(() => {
  clients.splice(0).forEach((c) => c.terminate())
  servers.splice(0).forEach((s) => s.close())
})

/** A connected pair: the relay-side socket and the client. */
async function pair(
  perMessageDeflate = false,
): Promise<{ server: WebSocket; client: WebSocket; received: Buffer[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate })
  servers.push(wss)
  await new Promise((resolve) => wss.once('listening', resolve))
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve))
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {
    maxPayload: 64 * 1024 * 1024,
  })
  clients.push(client)
  const received: Buffer[] = []
  client.on('message', (data: Buffer) => received.push(data))
  await new Promise((resolve) => client.once('open', resolve))
  return { server: await accepted, client, received }
}

function tcpOf(ws: WebSocket): net.Socket {
  const socket: unknown = Reflect.get(ws, '_socket')
  if (!(socket instanceof net.Socket)) {
    throw new Error('no TCP socket')
  }
  return socket
}

describe('the send queue of one socket', () => {
  test('a large answer arrives whole and in order between other messages, while ws never buffers more than a fragment past the mark', async () => {
    const { server, received } = await pair()
    const outbox = new Outbox(server, () => {
      throw new Error('no overflow expected')
    })
    const big = new Uint8Array(12 * 1024 * 1024).map((_, i) => i % 251)
    let most = 0
    const watch = setInterval(() => (most = Math.max(most, server.bufferedAmount)), 1)
    outbox.send(new Uint8Array([1]))
    outbox.sendAnswer([new Uint8Array([2, 2]), big])
    for (let i = 0; i < 50; i++) {
      outbox.send(new Uint8Array([3, i]))
    }
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(52)
    clearInterval(watch)
    expect(received[0]).toEqual(Buffer.from([1]))
    expect(received[1]?.length).toBe(big.length + 2)
    expect(received[1]?.subarray(2).equals(Buffer.from(big))).toBe(true)
    expect(received.slice(2).map((m) => m[1])).toEqual([...Array(50).keys()])
    expect(most).toBeLessThanOrEqual(SOCKET_HIGH_WATER + FRAGMENT_BYTES + 64)
  })

  test('a paused reader overflows on what is queued beyond the answer, not on the answer', async () => {
    const { server, client } = await pair()
    let overflows = 0
    const outbox = new Outbox(server, () => overflows++, 2 * 1024 * 1024)
    tcpOf(client).pause()
    outbox.sendAnswer([new Uint8Array([0]), new Uint8Array(8 * 1024 * 1024)])
    expect(overflows).toBe(0)
    for (let i = 0; i < 100 && overflows === 0; i++) {
      outbox.send(new Uint8Array(32 * 1024))
    }
    expect(overflows).toBe(1)
  })

  test('tiny messages count at least their bookkeeping: a paused reader of receipts overflows too', async () => {
    const { server, client } = await pair()
    let overflows = 0
    const outbox = new Outbox(server, () => overflows++)
    tcpOf(client).pause()
    let sent = 0
    while (overflows === 0 && sent < 1_000_000) {
      outbox.send(new Uint8Array([0, 1, 2, 0, 0]))
      sent++
    }
    // Most of them went into the kernel's and ws's buffers (bounded in bytes); past those, at most
    // MAX_BUFFERED_BYTES / 256 wait in the outbox. Counted by their bytes alone, 16 MiB of
    // five-byte receipts (3.3 million entries) would have waited.
    expect(overflows).toBe(1)
  })
})

/** @returns the message lib0 writes for `prefix` then `body` as a varUint8Array. */
function encoded(prefix: readonly number[], body: Uint8Array): Buffer {
  const encoder = encoding.createEncoder()
  prefix.forEach((byte) => encoding.writeUint8(encoder, byte))
  encoding.writeVarUint8Array(encoder, body)
  return Buffer.from(encoding.toUint8Array(encoder))
}

describe('a message framed once for many sockets', () => {
  const sizes = [0, 1, 120, 123, 124, 200, 65_531, 65_532, 70_000, 300_000]
  const bodies = sizes.map((size) => new Uint8Array(size).map((_, i) => (i * 7) % 256))

  test('every socket receives the same message as lib0 encodes it, at every frame length', async () => {
    const pairs = await Promise.all([pair(), pair(), pair()])
    const outboxes = pairs.map(
      ({ server }) =>
        new Outbox(server, () => {
          throw new Error('no overflow expected')
        }),
    )
    for (const body of bodies) {
      const message = Broadcast.of(new Uint8Array([0, 2]), body)
      outboxes.forEach((outbox) => outbox.sendBroadcast(message))
    }
    for (const { received } of pairs) {
      await expect.poll(() => received.length).toBe(bodies.length)
      received.forEach((message, i) =>
        expect(message.equals(encoded([0, 2], bodies[i]!))).toBe(true),
      )
    }
  })

  test('behind a backed-up socket it queues in order with the other messages', async () => {
    const { server, client, received } = await pair()
    const outbox = new Outbox(server, () => {
      throw new Error('no overflow expected')
    })
    tcpOf(client).pause()
    outbox.sendAnswer([new Uint8Array([9]), new Uint8Array(4 * 1024 * 1024)])
    outbox.sendBroadcast(Broadcast.of(new Uint8Array([1]), new Uint8Array([5, 6])))
    outbox.send(new Uint8Array([3]))
    tcpOf(client).resume()
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(3)
    expect(received[0]?.length).toBe(4 * 1024 * 1024 + 1)
    expect(received[1]).toEqual(encoded([1], new Uint8Array([5, 6])))
    expect(received[2]).toEqual(Buffer.from([3]))
  })

  test('a socket with permessage-deflate gets it through ws, compressed bits and all', async () => {
    const { server, received } = await pair(true)
    expect(server.extensions).not.toBe('')
    const outbox = new Outbox(server, () => undefined)
    const body = new Uint8Array(2048).fill(42)
    outbox.sendBroadcast(Broadcast.of(new Uint8Array([0, 2]), body))
    await expect.poll(() => received.length).toBe(1)
    expect(received[0]?.equals(encoded([0, 2], body))).toBe(true)
  })
})
