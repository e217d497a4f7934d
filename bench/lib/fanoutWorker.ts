/**
 * The clients of the fan-out benchmark, run in a worker thread (see fanoutProtocol.ts).
 *
 * Every client is a real Y.Doc synced through the stock `WebsocketProvider` (the renderer's
 * provider) over `ws`; the same code connects to our relay and to the reference server. All clients
 * live in this one thread so that a sender's insert time and every receiver's observation time come
 * from the same `performance.now()` clock.
 */
import { parentPort } from 'node:worker_threads'
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type {
  RoomPlan,
  RoundPlan,
  RoundResult,
  Target,
  WorkerReply,
  WorkerRequest,
} from './fanoutProtocol'

interface BenchClient {
  readonly doc: Y.Doc
  readonly text: Y.Text
  readonly provider: WebsocketProvider
}

/** The round being recorded: when each update was inserted, and what the receivers saw. */
interface Recording {
  readonly sentAt: Map<number, number>
  readonly latencies: number[]
  deliveriesExpected: number
  disconnects: number
}

const port = parentPort
if (port === null) {
  throw new Error('fanoutWorker must run in a worker thread')
}

/** Per target, per room, its clients. */
const groups = new Map<Target, BenchClient[][]>()
let recording: Recording | null = null
let nextSeq = 1
/** Each update inserts `#<seq>;`; sequence numbers identify updates across rounds and clients. */
const MARK = /#(\d+);/g

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Records the latency of every marked insert a remote update brings into `doc`. It reads the inserted
 * strings from the update itself: a Y.Text observer's delta walks the whole text on every event, which
 * would make the clients' cost grow with the document and pollute the measurement.
 */
function observe(doc: Y.Doc): void {
  doc.on(
    'update',
    (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      const current = recording
      if (current === null || transaction.local || origin === null) {
        return
      }
      // Taken first: the 'update' event fires once the change is integrated into this document.
      const now = performance.now()
      for (const struct of Y.decodeUpdate(update).structs) {
        if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) {
          continue
        }
        for (const match of struct.content.str.matchAll(MARK)) {
          const sentAt = current.sentAt.get(Number(match[1]))
          if (sentAt !== undefined) {
            current.latencies.push(now - sentAt)
          }
        }
      }
    },
  )
}

function connectClient(serverUrl: string, room: string, token: string | null): BenchClient {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  observe(doc)
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    // reason: ws implements the browser WebSocket API the provider uses, but its typings differ.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === null ? {} : { token },
    disableBc: true,
    maxBackoffTime: 1000,
    // No presence: this measures document updates. Every client renews its presence 15 s after
    // the last renewal, so 400 clients connected in the same second would renew in one burst every
    // 15 s, and the burst would land, always at the same point, in one server's round.
    connect: false,
  })
  provider.awareness.setLocalState(null)
  provider.connect()
  provider.on('connection-close', () => {
    if (recording !== null) {
      recording.disconnects++
    }
  })
  return { doc, text, provider }
}

async function connect(
  target: Target,
  serverUrl: string,
  rooms: readonly RoomPlan[],
): Promise<number> {
  const started = performance.now()
  const clients = rooms.map((room) =>
    room.tokens.map((token) => connectClient(serverUrl, room.name, token)),
  )
  groups.set(target, clients)
  const all = clients.flat()
  const deadline = Date.now() + 60_000
  while (!all.every((client) => client.provider.synced)) {
    if (Date.now() > deadline) {
      const synced = all.filter((client) => client.provider.synced).length
      throw new Error(`${target}: only ${synced} of ${all.length} clients synced within 60 s`)
    }
    await sleep(20)
  }
  return performance.now() - started
}

function roomsOf(target: Target): BenchClient[][] {
  const rooms = groups.get(target)
  if (rooms === undefined) {
    throw new Error(`${target}: not connected`)
  }
  return rooms
}

async function round(target: Target, plan: RoundPlan): Promise<RoundResult> {
  const rooms = roomsOf(target)
  const current: Recording = {
    sentAt: new Map(),
    latencies: [],
    deliveriesExpected: 0,
    disconnects: 0,
  }
  recording = current
  let gcMaxMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration)
    }
  })
  gc.observe({ entryTypes: ['gc'] })
  const elu = performance.eventLoopUtilization()
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const started = performance.now()
  await Promise.all(
    rooms.map(async (clients, index) => {
      // Rooms are phase-shifted so that the 20 rooms' sends spread evenly over each interval.
      let due = started + (plan.intervalMs * index) / rooms.length
      for (let turn = 0; ; turn++) {
        await sleep(Math.max(0, due - performance.now()))
        if (performance.now() - started >= plan.durationMs) {
          return
        }
        const sender = clients[turn % clients.length]
        if (sender === undefined) {
          return
        }
        const seq = nextSeq++
        current.sentAt.set(seq, performance.now())
        current.deliveriesExpected += clients.length - 1
        // The provider sends the update synchronously from the document's update event.
        sender.text.insert(sender.text.length, `#${seq};`)
        // A fixed schedule (not "interval after the last send") keeps the offered rate constant.
        due += plan.intervalMs
      }
    }),
  )
  const graceEnd = performance.now() + plan.graceMs
  while (current.latencies.length < current.deliveriesExpected && performance.now() < graceEnd) {
    await sleep(10)
  }
  recording = null
  delay.disable()
  gc.disconnect()
  return {
    clientGcMaxMs: gcMaxMs,
    clientLoopDelayMaxMs: delay.max / 1e6,
    latencies: Float64Array.from(current.latencies),
    updatesSent: current.sentAt.size,
    deliveriesExpected: current.deliveriesExpected,
    disconnects: current.disconnects,
    clientElu: performance.eventLoopUtilization(elu).utilization,
    wallMs: performance.now() - started,
  }
}

function verify(target: Target): { converged: boolean; chars: number } {
  let converged = true
  let chars = 0
  for (const clients of roomsOf(target)) {
    const texts = new Set(clients.map((client) => client.text.toString()))
    converged &&= texts.size === 1
    chars += clients[0]?.text.length ?? 0
  }
  return { converged, chars }
}

function close(): void {
  for (const rooms of groups.values()) {
    for (const client of rooms.flat()) {
      client.provider.destroy()
      client.doc.destroy()
    }
  }
  groups.clear()
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'connect':
      return {
        type: 'connected',
        target: request.target,
        ms: await connect(request.target, request.serverUrl, request.rooms),
      }
    case 'round':
      return {
        type: 'round',
        target: request.target,
        result: await round(request.target, request.plan),
      }
    case 'verify':
      return { type: 'verified', target: request.target, ...verify(request.target) }
    case 'close':
      close()
      return { type: 'closed' }
  }
}

// Every provider adds a process 'exit' listener; 200 of them are expected here, not a leak.
process.setMaxListeners(0)

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => {
      port.postMessage(reply)
      if (reply.type === 'closed') {
        // Nothing else holds the thread open once the sockets are gone, so it exits by itself.
        port.close()
      }
    },
    (error: unknown) =>
      port.postMessage({ type: 'failed', message: String(error) } satisfies WorkerReply),
  )
})
