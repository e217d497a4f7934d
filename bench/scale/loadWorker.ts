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
  /** Sequence number of the round's first update. */
  readonly firstSeq: number
  /** When each update of the round was inserted (index: seq - firstSeq), and by whom. */
  readonly sentAt: number[]
  readonly sentBy: SyncClient[]
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
      const index = seq - current.firstSeq
      const at = current.sentAt[index]
      // Servers that echo an update to its sender: not a delivery.
      if (at !== undefined && current.sentBy[index] !== client) {
        current.latencies.push(now - at)
        current.sentAtOf.push(performance.timeOrigin + at)
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
      const client = new SyncClient(
        { dialect: plan.dialect, url, room: room.name, token },
        observe,
        undefined,
        true,
      )
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

/**
 * One round: `rate` updates/s over all rooms, the rooms in turn (phase-shifted evenly over each
 * room's interval, round-robin over each room's clients), on a fixed schedule. One timer serves
 * every send that has come due since the last (a few per millisecond at the top rates) instead of
 * a timer per room and send, which cost the load generator more than the sends.
 */
async function round(plan: RoundPlan): Promise<RoundResult> {
  const rooms = roomsOf(plan.group)
  const current: Recording = {
    firstSeq: nextSeq,
    sentAt: [],
    sentBy: [],
    latencies: [],
    sentAtOf: [],
    deliveriesExpected: 0,
  }
  recording = current
  const elu = performance.eventLoopUtilization()
  const cpu = process.threadCpuUsage()
  const interval = 1000 / plan.rate
  const started = performance.now()
  for (let sent = 0; ;) {
    const elapsed = performance.now() - started
    if (elapsed >= plan.durationMs) {
      break
    }
    // Every send due by now, including those a late timer left behind (the rate stays constant).
    for (const due = Math.floor(elapsed / interval) + 1; sent < due; sent++) {
      const index = sent % rooms.length
      const clients = rooms[index]
      // Room `index` sends its n-th update from client (index + n), so rooms start on different clients.
      const sender = clients?.[(index + Math.floor(sent / rooms.length)) % clients.length]
      if (clients === undefined || sender === undefined) {
        continue
      }
      const seq = nextSeq++
      current.sentAt[seq - current.firstSeq] = performance.now()
      current.sentBy[seq - current.firstSeq] = sender
      current.deliveriesExpected += clients.length - 1
      sender.append(`#${seq};`)
    }
    await sleep(Math.max(0, started + sent * interval - performance.now()))
  }
  const graceEnd = performance.now() + plan.graceMs
  while (current.latencies.length < current.deliveriesExpected && performance.now() < graceEnd) {
    await sleep(10)
  }
  recording = null
  const clientElu = performance.eventLoopUtilization(elu).utilization
  const { user, system } = process.threadCpuUsage(cpu)
  const wallMs = performance.now() - started
  settle(plan.group)
  return {
    latencies: Float64Array.from(current.latencies),
    sentAt: Float64Array.from(current.sentAtOf),
    updatesSent: current.sentAt.length,
    deliveriesExpected: current.deliveriesExpected,
    clientElu,
    clientCpuMs: (user + system) / 1000,
    wallMs,
  }
}

/** Applies what every client of the group received during the load (see SyncClient.settle). */
function settle(group: string): void {
  for (const client of groups.get(group)?.rooms.flat() ?? []) {
    client.settle()
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
  settle(group)
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
        // What the clients hold when the server dies is what they resync with.
        settle(request.group)
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
