/**
 * The load generator of the scale benchmark, in a worker thread of the benchmark process (pinned
 * with it to the client core). It holds every client (SyncClient.ts, the same code for every
 * server), sends marked inserts on a fixed schedule and times each one from the sender's insert to
 * each other client of the room, on one `performance.now()` clock.
 */
import { parentPort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { SyncClient } from './SyncClient'
import type { GroupPlan, RoundPlan, RoundResult, WorkerReply, WorkerRequest } from './protocol'

const port = parentPort
if (port === null) {
  throw new Error('loadWorker must run in a worker thread')
}

interface Recording {
  /** When each update was inserted, and by whom (servers that echo an update to its sender). */
  readonly sentAt: Map<number, { at: number; by: SyncClient }>
  readonly latencies: number[]
  readonly sentAtOf: number[]
  deliveriesExpected: number
}

const groups = new Map<string, { rooms: SyncClient[][]; mark: number }>()
let recording: Recording | null = null
let nextSeq = 1

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const HASH = 0x23
const SEMICOLON = 0x3b
const ZERO = 0x30

/**
 * Records every `#<seq>;` marker in a received update. It scans the update's bytes (Yjs stores a
 * string's UTF-8 as is): decoding the update would cost the client thread more than the servers
 * spend on it, in a room of 200.
 */
function observe(update: Uint8Array, client: SyncClient): void {
  const current = recording
  if (current === null) {
    return
  }
  const now = performance.now()
  for (let i = update.indexOf(HASH); i !== -1; i = update.indexOf(HASH, i + 1)) {
    let seq = 0
    let j = i + 1
    while (j < update.length && update[j]! >= ZERO && update[j]! <= ZERO + 9) {
      seq = seq * 10 + update[j]! - ZERO
      j++
    }
    if (j > i + 1 && update[j] === SEMICOLON) {
      const sent = current.sentAt.get(seq)
      if (sent !== undefined && sent.by !== client) {
        current.latencies.push(now - sent.at)
        current.sentAtOf.push(performance.timeOrigin + sent.at)
      }
    }
  }
}

async function connect(plan: GroupPlan): Promise<{ ms: number; refused: number }> {
  const started = performance.now()
  const urls = plan.urls ?? [plan.url]
  const rooms = plan.rooms.map((room, r) =>
    room.tokens.map((token, i) => {
      const url = urls[(r + i) % urls.length] ?? plan.url
      const client = new SyncClient({ dialect: plan.dialect, url, room: room.name, token }, observe)
      client.connect()
      return client
    }),
  )
  groups.set(plan.group, { rooms, mark: Number.NaN })
  const all = rooms.flat()
  const deadline = started + plan.timeoutMs
  while (!all.every((client) => client.isSynced)) {
    const refused = all.filter((client) => client.refused !== null)
    if (refused.length > 0) {
      throw new Error(`${plan.group}: ${refused.length} clients refused: ${refused[0]?.refused}`)
    }
    if (performance.now() > deadline) {
      const synced = all.filter((client) => client.isSynced).length
      throw new Error(`${plan.group}: ${synced} of ${all.length} clients synced in time`)
    }
    await sleep(10)
  }
  return { ms: performance.now() - started, refused: 0 }
}

function roomsOf(group: string): SyncClient[][] {
  const found = groups.get(group)
  if (found === undefined) {
    throw new Error(`${group}: not connected`)
  }
  return found.rooms
}

async function round(plan: RoundPlan): Promise<RoundResult> {
  const rooms = roomsOf(plan.group)
  const current: Recording = {
    sentAt: new Map(),
    latencies: [],
    sentAtOf: [],
    deliveriesExpected: 0,
  }
  recording = current
  const elu = performance.eventLoopUtilization()
  const interval = (rooms.length * 1000) / plan.rate
  const started = performance.now()
  await Promise.all(
    rooms.map(async (clients, index) => {
      // Rooms are phase-shifted so that their sends spread evenly over each interval.
      let due = started + (interval * index) / rooms.length
      for (let turn = index; ; turn++) {
        await sleep(Math.max(0, due - performance.now()))
        if (performance.now() - started >= plan.durationMs) {
          return
        }
        const sender = clients[turn % clients.length]
        if (sender === undefined) {
          return
        }
        const seq = nextSeq++
        current.sentAt.set(seq, { at: performance.now(), by: sender })
        current.deliveriesExpected += clients.length - 1
        sender.text.insert(sender.text.length, `#${seq};`)
        // A fixed schedule (not "interval after the last send") keeps the offered rate constant.
        due += interval
      }
    }),
  )
  const graceEnd = performance.now() + plan.graceMs
  while (current.latencies.length < current.deliveriesExpected && performance.now() < graceEnd) {
    await sleep(10)
  }
  recording = null
  return {
    latencies: Float64Array.from(current.latencies),
    sentAt: Float64Array.from(current.sentAtOf),
    updatesSent: current.sentAt.size,
    deliveriesExpected: current.deliveriesExpected,
    clientElu: performance.eventLoopUtilization(elu).utilization,
    wallMs: performance.now() - started,
  }
}

async function resynced(
  group: string,
  timeoutMs: number,
): Promise<{ ms: number; pending: number }> {
  const found = groups.get(group)
  if (found === undefined) {
    throw new Error(`${group}: not connected`)
  }
  const { mark } = found
  const all = found.rooms.flat()
  const done = (client: SyncClient): boolean =>
    client.lostAt > mark && client.syncedAt > client.lostAt && client.isSynced
  const deadline = performance.now() + timeoutMs
  while (!all.every(done) && performance.now() < deadline) {
    await sleep(5)
  }
  const last = Math.max(...all.map((client) => client.syncedAt))
  return { ms: last - mark, pending: all.filter((client) => !done(client)).length }
}

function verify(group: string): boolean {
  return roomsOf(group).every(
    (clients) => new Set(clients.map((client) => client.text.toString())).size <= 1,
  )
}

function close(group: string): void {
  for (const client of groups.get(group)?.rooms.flat() ?? []) {
    client.close()
  }
  groups.delete(group)
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'connect':
      return { type: 'connected', ...(await connect(request)) }
    case 'round':
      return { type: 'round', result: await round(request) }
    case 'mark': {
      const found = groups.get(request.group)
      if (found !== undefined) {
        found.mark = performance.now()
      }
      return { type: 'marked' }
    }
    case 'resynced':
      return { type: 'resynced', ...(await resynced(request.group, request.timeoutMs)) }
    case 'verify':
      return { type: 'verified', converged: verify(request.group) }
    case 'close':
      close(request.group)
      return { type: 'closed' }
    case 'exit':
      for (const group of [...groups.keys()]) {
        close(group)
      }
      return { type: 'closed' }
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (reply) => {
      port.postMessage(reply)
      if (request.type === 'exit') {
        port.close()
      }
    },
    (error: unknown) =>
      port.postMessage({ type: 'failed', message: String(error) } satisfies WorkerReply),
  )
})
