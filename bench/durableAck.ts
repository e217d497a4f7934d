/**
 * Durable acknowledgement: fan-out latency (sender to the other clients) and save-barrier latency
 * (a client's sync step 1 to the relay's answer), with the relay answering barriers only once the
 * room's updates are committed ("durable", the relay's behaviour) side by side with answering at
 * once and writing 5 ms later ("early", the relay before). `npm run bench -- durable`.
 *
 * - Both relays run at once, each in a worker thread of its own (`startTestRelay`, real auth, ACL
 *   and persistence in a temporary SQLite folder, or a fresh PostgreSQL database each); rounds
 *   alternate (early, durable, durable, early, …) so drift in the machine's load falls on both.
 * - The clients run in the main thread, so one `performance.now()` clock times the writer's insert
 *   and every receiver's observation. Each room has one writer typing an item every
 *   `typeIntervalMs` and sending barriers as the editor does (150 ms after a change, at once after
 *   an answer while something is unconfirmed), and `receivers` other clients.
 */
import { Worker } from 'node:worker_threads'
import type * as Y from 'yjs'
import { createTestDatabase } from '../tests/utils/relay'
import type { TestDatabase } from '../tests/utils/relay'
import { connect, synced } from '../tests/utils/yclient'
import type { Client } from '../tests/utils/yclient'
import { Barriers } from '../tests/utils/barrier'
import { DEFAULT_GROUP_COMMIT } from '../server/storage/roomlog/GroupCommit'
import { provisionRooms } from './lib/provision'
import { summarize } from './lib/stats'
import type { LatencySummary } from './lib/stats'
import { markdownTable, ms, print, progress } from './lib/report'
import type { DurableRelayReply, DurableRelayWorkerData } from './lib/durableRelayWorker'

/** The workload. */
export interface DurableAckOptions {
  readonly rooms: number
  readonly receivers: number
  readonly typeIntervalMs: number
  readonly barrierDelayMs: number
  readonly roundMs: number
  /** Rounds per mode. */
  readonly rounds: number
}

export const DEFAULT_DURABLE_ACK: DurableAckOptions = {
  rooms: 10,
  receivers: 2,
  typeIntervalMs: 20,
  barrierDelayMs: 150,
  roundMs: 5000,
  rounds: 4,
}

type Mode = 'early' | 'durable'

const SETTINGS: Record<Mode, DurableRelayWorkerData['persistence']> = {
  early: { durableAck: false, commit: { ...DEFAULT_GROUP_COMMIT, delayMs: 5 } },
  durable: {},
}

/** One mode's figures. */
export interface ModeResult {
  readonly fanout: LatencySummary
  readonly barrier: LatencySummary
  readonly typed: number
}

/** One store's results. */
export interface StoreResult {
  readonly store: 'SQLite' | 'PostgreSQL'
  readonly early: ModeResult
  readonly durable: ModeResult
}

interface RoomClients {
  readonly writer: Client
  readonly receivers: Client[]
  readonly barriers: Barriers
}

interface RunningMode {
  readonly worker: Worker
  readonly url: string
  readonly database: TestDatabase | null
  readonly rooms: RoomClients[]
  readonly fanout: number[]
  readonly barrier: number[]
  typed: number
}

async function startMode(
  mode: Mode,
  postgres: boolean,
  options: DurableAckOptions,
): Promise<RunningMode> {
  const database = postgres ? await createTestDatabase() : null
  const data: DurableRelayWorkerData = {
    databaseUrl: database?.url ?? null,
    persistence: SETTINGS[mode],
  }
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const entry = new URL('./lib/durableRelayWorker.ts', import.meta.url)
  const boot = `const { register } = await import(${JSON.stringify(tsxApi)})\nregister()\nawait import(${JSON.stringify(entry.href)})`
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: data,
  })
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (reply: DurableRelayReply) =>
      'url' in reply ? resolve(reply.url) : reject(new Error('no url')),
    )
    worker.once('error', reject)
  })
  const plans = await provisionRooms({ url }, options.rooms, 1 + options.receivers)
  const wsUrl = `${url.replace('http', 'ws')}/sync`
  const rooms = plans.map((plan) => {
    const [writerToken, ...others] = plan.tokens
    const writer = connect(wsUrl, plan.name, writerToken ?? '')
    return {
      writer,
      receivers: others.map((t) => connect(wsUrl, plan.name, t)),
      barriers: new Barriers(writer),
    }
  })
  await Promise.all(rooms.flatMap((r) => [r.writer, ...r.receivers]).map((c) => synced(c, 30_000)))
  return { worker, url, database, rooms, fanout: [], barrier: [], typed: 0 }
}

async function stopMode(running: RunningMode): Promise<void> {
  running.rooms.flatMap((r) => [r.writer, ...r.receivers]).forEach((c) => c.destroy())
  await new Promise<void>((resolve) => {
    running.worker.on('message', (reply: DurableRelayReply) => {
      if ('closed' in reply) {
        resolve()
      }
    })
    running.worker.postMessage('close')
  })
  await running.worker.terminate()
  await running.database?.drop()
}

/** Types in every room of one relay for `roundMs`, recording both latencies. */
async function round(running: RunningMode, options: DurableAckOptions): Promise<void> {
  const stops: (() => void)[] = []
  for (const room of running.rooms) {
    const items = room.writer.doc.getArray<number>('bench')
    const sentAt = new Map<number, number>()
    let next = items.length
    let latest = -1
    let barrierTimer: NodeJS.Timeout | null = null
    let active = true
    const sendBarrier = (): void => {
      barrierTimer = null
      if (latest > room.barriers.acknowledged && room.barriers.waiting === 0) {
        room.barriers.send(latest)
      }
    }
    const onAnswer = (_mark: number, latency: number): void => {
      if (!active) {
        return
      }
      running.barrier.push(latency)
      if (latest > room.barriers.acknowledged) {
        sendBarrier()
      }
    }
    room.barriers.onAnswer(onAnswer)
    const observers = room.receivers.map((receiver) => {
      const observer = (event: Y.YArrayEvent<number>): void => {
        const now = performance.now()
        for (const change of event.changes.delta) {
          for (const value of change.insert ?? []) {
            const at = typeof value === 'number' ? sentAt.get(value) : undefined
            if (active && at !== undefined) {
              running.fanout.push(now - at)
            }
          }
        }
      }
      receiver.doc.getArray<number>('bench').observe(observer)
      return () => receiver.doc.getArray<number>('bench').unobserve(observer)
    })
    const typer = setInterval(() => {
      const value = next++
      sentAt.set(value, performance.now())
      items.push([value])
      latest = value
      running.typed++
      barrierTimer ??= setTimeout(sendBarrier, options.barrierDelayMs)
    }, options.typeIntervalMs)
    stops.push(() => {
      active = false
      clearInterval(typer)
      if (barrierTimer !== null) {
        clearTimeout(barrierTimer)
      }
      observers.forEach((stop) => stop())
    })
  }
  await new Promise((resolve) => setTimeout(resolve, options.roundMs))
  stops.forEach((stop) => stop())
  // Let answers and deliveries in flight land before the next round starts.
  await new Promise((resolve) => setTimeout(resolve, 500))
}

async function runStore(postgres: boolean, options: DurableAckOptions): Promise<StoreResult> {
  const store = postgres ? 'PostgreSQL' : 'SQLite'
  progress(`durable: starting both relays on ${store}`)
  const modes = {
    early: await startMode('early', postgres, options),
    durable: await startMode('durable', postgres, options),
  }
  try {
    const order: Mode[] = []
    for (let i = 0; i < options.rounds; i++) {
      order.push(
        ...(i % 2 === 0 ? (['early', 'durable'] as const) : (['durable', 'early'] as const)),
      )
    }
    for (const [i, mode] of order.entries()) {
      progress(`durable: ${store} round ${i + 1}/${order.length} (${mode})`)
      await round(modes[mode], options)
    }
  } finally {
    await stopMode(modes.early)
    await stopMode(modes.durable)
  }
  const result = (mode: Mode): ModeResult => ({
    fanout: summarize(modes[mode].fanout),
    barrier: summarize(modes[mode].barrier),
    typed: modes[mode].typed,
  })
  return { store, early: result('early'), durable: result('durable') }
}

/** Runs the benchmark on SQLite and on PostgreSQL. */
export async function runDurableAckBench(
  options: DurableAckOptions = DEFAULT_DURABLE_ACK,
): Promise<StoreResult[]> {
  return [await runStore(false, options), await runStore(true, options)]
}

/** Prints the results as Markdown. */
export function printDurableAck(
  results: readonly StoreResult[],
  options: DurableAckOptions = DEFAULT_DURABLE_ACK,
): void {
  print(
    `\n## Durable acknowledgement: ${options.rooms} rooms, 1 writer (an item every ${options.typeIntervalMs} ms, ` +
      `barriers as the editor sends them) and ${options.receivers} receivers each, ${options.rounds} × ` +
      `${options.roundMs / 1000} s per mode, modes alternating\n`,
  )
  const rows: string[][] = []
  for (const r of results) {
    for (const mode of ['early', 'durable'] as const) {
      const m = r[mode]
      rows.push([
        r.store,
        mode === 'early'
          ? 'early (answer at once, write 5 ms later)'
          : 'durable (answer after commit)',
        ms(m.fanout.p50),
        ms(m.fanout.p99),
        ms(m.barrier.p50),
        ms(m.barrier.p99),
        ms(m.barrier.max),
        String(m.typed),
        String(m.barrier.count),
      ])
    }
  }
  print(
    markdownTable(
      [
        'store',
        'mode',
        'fan-out p50',
        'fan-out p99',
        'barrier p50',
        'barrier p99',
        'barrier max',
        'updates',
        'barriers',
      ],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  )
}
