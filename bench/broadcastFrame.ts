/**
 * The relay's fan-out alone: one small update sent to every socket of a room of `SOCKETS`, through
 * ws.send per recipient (Outbox.send, as before) or framed once (Broadcast, Outbox.sendBroadcast),
 * in alternating batches so both see the same machine. It reports the sending thread's CPU (user +
 * system: the loopback delivery is done in the sender's write) per update and per recipient. The
 * receivers run in a worker thread, whose CPU is not counted.
 *
 * @example
 *   npx tsx bench/broadcastFrame.ts            # 200 sockets, 20 × 100 updates each way
 *   SOCKETS=4 npx tsx bench/broadcastFrame.ts  # a fan-out room of four
 */
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { Worker } from 'node:worker_threads'
import * as encoding from 'lib0/encoding'
import { WebSocketServer } from 'ws'
import type WebSocket from 'ws'
import { Broadcast } from '../server/relay/Broadcast'
import { Outbox } from '../server/relay/Outbox'

const require = createRequire(import.meta.url)
const SOCKETS = Number(process.env.SOCKETS ?? 200)
const BATCHES = Number(process.env.BATCHES ?? 20)
const PER_BATCH = Number(process.env.PER_BATCH ?? 100)
/** A keystroke's update, about the size the scale benchmark sends. */
const UPDATE = new Uint8Array(24).map((_, i) => (i * 37) % 256)

const RECEIVERS = `
const { workerData, parentPort } = require('node:worker_threads')
const WebSocket = require(workerData.ws)
let received = 0
let open = 0
for (let i = 0; i < workerData.sockets; i++) {
  const socket = new WebSocket(workerData.url)
  socket.on('open', () => ++open === workerData.sockets && parentPort.postMessage('open'))
  socket.on('message', () => received++)
}
parentPort.on('message', () => parentPort.postMessage(received))
`

async function main(): Promise<void> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false })
  await new Promise((resolve) => wss.once('listening', resolve))
  const sockets: WebSocket[] = []
  wss.on('connection', (socket) => sockets.push(socket))
  const worker = new Worker(RECEIVERS, {
    eval: true,
    workerData: {
      ws: require.resolve('ws'),
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      sockets: SOCKETS,
    },
  })
  await new Promise((resolve) => worker.once('message', resolve))
  while (sockets.length < SOCKETS) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const outboxes = sockets.map(
    (socket) =>
      new Outbox(socket, () => {
        throw new Error('a receiver fell behind')
      }),
  )
  const perSocket = { before: 0, after: 0 }
  const cpu = { before: 0, after: 0 }
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20))
  for (let batch = 0; batch < BATCHES * 2; batch++) {
    const framedOnce = batch % 2 === 1
    const started = process.threadCpuUsage()
    for (let i = 0; i < PER_BATCH; i++) {
      if (framedOnce) {
        const message = Broadcast.of(new Uint8Array([0, 2]), UPDATE)
        outboxes.forEach((outbox) => outbox.sendBroadcast(message))
      } else {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarUint(encoder, 2)
        encoding.writeVarUint8Array(encoder, UPDATE)
        const message = encoding.toUint8Array(encoder)
        outboxes.forEach((outbox) => outbox.send(message))
      }
      // Let the writes complete, as between two updates of a room.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const used = process.threadCpuUsage(started)
    cpu[framedOnce ? 'after' : 'before'] += (used.user + used.system) / 1000
    perSocket[framedOnce ? 'after' : 'before'] += PER_BATCH
    await settle()
  }
  worker.postMessage('count')
  const received = await new Promise<number>((resolve) => worker.once('message', resolve))
  const updates = BATCHES * PER_BATCH
  const line = (what: string, ms: number): string =>
    `${what}: ${((ms * 1000) / updates).toFixed(1)} µs CPU per update, ` +
    `${((ms * 1000) / updates / SOCKETS).toFixed(2)} µs per recipient`
  process.stdout.write(
    `${SOCKETS} sockets, ${updates} updates each way, ${received} of ${2 * updates * SOCKETS} received\n` +
      `${line('ws.send per recipient', cpu.before)}\n${line('framed once', cpu.after)}\n` +
      `ratio ${(cpu.after / cpu.before).toFixed(2)}\n`,
  )
  await worker.terminate()
  sockets.forEach((socket) => socket.terminate())
  wss.close()
}

await main()
