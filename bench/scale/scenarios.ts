/**
 * The scenarios of the scale benchmark, each run against one server at a time (the same client code
 * for every server; see index.ts for the order and the report).
 */
import { summarize } from '../lib/stats'
import type { LatencySummary } from '../lib/stats'
import { ms, progress } from '../lib/report'
import type { LoadClients } from './LoadClients'
import type { ScaleOptions } from './options'
import type { RoomPlan, RoundResult } from './protocol'
import type { RunningServer, ServerLauncher } from './servers'

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

/** Median of a few samples (the mean of the middle two for an even count). */
export function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const half = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[half] ?? Number.NaN)
    : ((sorted[half - 1] ?? Number.NaN) + (sorted[half] ?? Number.NaN)) / 2
}

/** Idle memory (no sockets) and start-to-ready, over several starts. */
export interface StartResult {
  /** The first start (ours: creates the database and the admin). */
  readonly firstReadyMs: number
  /** Median ready time of the later starts (restarts on existing data). */
  readonly readyMs: number
  readonly readySamples: readonly number[]
  /** Median CPU until ready of the restarts (ms). */
  readonly readyCpuMs: number
  /** Median RSS 2 s after ready, no sockets, every thread included (bytes). */
  readonly idleRss: number
  readonly rssSamples: readonly number[]
}

export async function startScenario(launch: ServerLauncher, starts: number): Promise<StartResult> {
  const ready: number[] = []
  const readyCpu: number[] = []
  const rss: number[] = []
  for (let i = 0; i < Math.max(2, starts); i++) {
    const server = await launch.start()
    await sleep(2000)
    ready.push(server.readyMs)
    readyCpu.push(server.readyCpuMs)
    rss.push(server.rss())
    await server.stop()
  }
  progress(
    `scale: ${launch.spec.name} ready ${ready.map((r) => ms(r)).join(', ')}; idle RSS ` +
      rss.map((r) => `${(r / 2 ** 20).toFixed(0)} MB`).join(', '),
  )
  const restarts = ready.slice(1)
  return {
    firstReadyMs: ready[0] ?? Number.NaN,
    readyMs: middle(restarts),
    readySamples: ready,
    readyCpuMs: middle(readyCpu.slice(1)),
    idleRss: middle(rss),
    rssSamples: rss,
  }
}

/** Latency and server CPU over recorded rounds. */
export interface LoadResult {
  readonly latency: LatencySummary
  readonly updates: number
  readonly deliveriesExpected: number
  /** Server process CPU per update sent (µs). */
  readonly cpuPerUpdateUs: number
  /** Server CPU as a share of one core. */
  readonly serverCpu: number
  readonly clientElu: number
  /** Load generator (client thread) CPU per update sent (µs). */
  readonly clientCpuUs: number
}

/** Runs `rounds` rounds at `rate`, measuring the server's CPU over each. */
export async function measureRounds(
  clients: LoadClients,
  server: RunningServer,
  group: string,
  rate: number,
  rounds: number,
  roundMs: number,
  graceMs: number,
): Promise<LoadResult> {
  const results: RoundResult[] = []
  let cpu = 0
  let wall = 0
  for (let i = 0; i < rounds; i++) {
    const cpuBefore = server.cpuMs()
    const wallBefore = performance.now()
    const result = await clients.round({ group, rate, durationMs: roundMs, graceMs })
    cpu += server.cpuMs() - cpuBefore
    wall += performance.now() - wallBefore
    results.push(result)
  }
  const updates = results.reduce((n, r) => n + r.updatesSent, 0)
  return {
    latency: summarize(results.flatMap((r) => [...r.latencies])),
    updates,
    deliveriesExpected: results.reduce((n, r) => n + r.deliveriesExpected, 0),
    cpuPerUpdateUs: (cpu * 1000) / updates,
    serverCpu: cpu / wall,
    clientElu: Math.max(...results.map((r) => r.clientElu)),
    clientCpuUs: (results.reduce((n, r) => n + r.clientCpuMs, 0) * 1000) / updates,
  }
}

/** Many rooms: connect time, memory per idle connection, then latency and CPU per update. */
export interface FanoutResult extends LoadResult {
  readonly connectMs: number
  /** RSS growth per connected client, after the connections settled (bytes). */
  readonly bytesPerConnection: number
  readonly converged: boolean
}

export async function fanoutScenario(
  clients: LoadClients,
  server: RunningServer,
  plans: readonly RoomPlan[],
  options: ScaleOptions,
): Promise<FanoutResult> {
  const count = plans.reduce((n, plan) => n + plan.tokens.length, 0)
  const rssBefore = server.rss()
  const connectMs = await clients.connect({
    group: 'fanout',
    dialect: server.spec.dialect,
    url: server.wsUrl,
    rooms: plans,
    timeoutMs: 120_000,
  })
  await sleep(2000)
  const bytesPerConnection = (server.rss() - rssBefore) / count
  const f = options.fanout
  await clients.round({ group: 'fanout', rate: f.rate, durationMs: f.warmupMs, graceMs: 500 })
  const load = await measureRounds(
    clients,
    server,
    'fanout',
    f.rate,
    f.rounds,
    f.roundMs,
    options.graceMs,
  )
  progress(
    `scale: ${server.spec.name} fan-out p50 ${ms(load.latency.p50)} p99 ${ms(load.latency.p99)}, ` +
      `${load.cpuPerUpdateUs.toFixed(0)} µs CPU/update, client ELU ${load.clientElu.toFixed(2)} ` +
      `(${load.clientCpuUs.toFixed(0)} µs CPU/update)`,
  )
  return { ...load, connectMs, bytesPerConnection, converged: await clients.verify('fanout') }
}

/** One rate of the saturation search. */
export interface SaturationStep {
  readonly rate: number
  readonly p99: number
  /** Share of the expected deliveries that arrived. */
  readonly delivered: number
  readonly clientElu: number
  /** Server process CPU per update sent at this rate (µs). */
  readonly serverCpuUs: number
  /** Load generator (client thread) CPU per update sent at this rate (µs). */
  readonly clientCpuUs: number
}

/** The highest rate kept up with (p99 within the limit, every delivery in), and why the search stopped. */
export interface SaturationResult {
  readonly rate: number
  readonly steps: readonly SaturationStep[]
  /** 'server': the next rate was not kept up with; 'client': the load generator could not offer it. */
  readonly limitedBy: 'server' | 'client' | 'steps'
}

export async function saturationScenario(
  clients: LoadClients,
  server: RunningServer,
  options: ScaleOptions,
): Promise<SaturationResult> {
  const s = options.saturation
  const steps: SaturationStep[] = []
  let rate = s.startRate
  let kept = 0
  for (let step = 0; step < s.maxSteps; step++) {
    let verdict = await saturationStep(clients, server, options, rate, steps)
    if (verdict !== 'kept') {
      // Once more after a pause: on a machine others share, one stall fails a step.
      await sleep(2000)
      verdict = await saturationStep(clients, server, options, rate, steps)
    }
    if (verdict !== 'kept') {
      return { rate: kept, steps, limitedBy: verdict }
    }
    kept = rate
    rate *= s.factor
    // Let a backlog drain before the next step.
    await sleep(1000)
  }
  return { rate: kept, steps, limitedBy: 'steps' }
}

/** Runs one round at `rate` and records it in `steps`. @returns whether it was kept up with */
async function saturationStep(
  clients: LoadClients,
  server: RunningServer,
  options: ScaleOptions,
  rate: number,
  steps: SaturationStep[],
): Promise<'kept' | 'server' | 'client'> {
  const s = options.saturation
  const cpuBefore = server.cpuMs()
  const result = await clients.round({
    group: 'fanout',
    rate,
    durationMs: s.roundMs,
    graceMs: options.graceMs,
  })
  const latency = summarize(result.latencies)
  const delivered = result.latencies.length / Math.max(1, result.deliveriesExpected)
  const perUpdate = (cpuMs: number): number => (cpuMs * 1000) / Math.max(1, result.updatesSent)
  const serverCpuUs = perUpdate(server.cpuMs() - cpuBefore)
  const clientCpuUs = perUpdate(result.clientCpuMs)
  steps.push({
    rate,
    p99: latency.p99,
    delivered,
    clientElu: result.clientElu,
    serverCpuUs,
    clientCpuUs,
  })
  progress(
    `scale: ${server.spec.name} at ${rate.toFixed(0)}/s: p99 ${ms(latency.p99)}, ` +
      `${(delivered * 100).toFixed(1)} % delivered, server ${serverCpuUs.toFixed(0)} µs CPU/update, ` +
      `client ELU ${result.clientElu.toFixed(2)}, ${clientCpuUs.toFixed(0)} µs CPU/update`,
  )
  // The client thread fell behind its own schedule: what follows measures the load generator.
  const offered = (result.updatesSent * 1000) / s.roundMs
  if (offered < rate * 0.9 || result.clientElu > 0.95) {
    return 'client'
  }
  if (latency.p99 > s.p99LimitMs || delivered < 0.999) {
    return 'server'
  }
  return 'kept'
}

/** kill -9 with every fan-out client connected, an immediate restart, and the time until all resynced. */
export interface StormResult {
  readonly clients: number
  /** From the kill until the last client had synced again (ms). */
  readonly resyncMs: number
  /** Of which the restart took (spawn to ready). */
  readonly restartMs: number
  readonly pending: number
}

export async function stormScenario(
  clients: LoadClients,
  server: RunningServer,
  launch: ServerLauncher,
  count: number,
): Promise<{ result: StormResult; server: RunningServer }> {
  await sleep(1000)
  await clients.mark('fanout')
  await server.kill9()
  const restarted = await launch.start()
  const { ms: resyncMs, pending } = await clients.resynced('fanout', 120_000)
  progress(
    `scale: ${server.spec.name} kill -9 storm: ${count} clients resynced in ${ms(resyncMs)} ` +
      `(restart ${ms(restarted.readyMs)}), ${pending} pending`,
  )
  return {
    result: { clients: count, resyncMs, restartMs: restarted.readyMs, pending },
    server: restarted,
  }
}

/** One hot room: every update goes to every other editor. */
export async function hotScenario(
  clients: LoadClients,
  server: RunningServer,
  plan: RoomPlan,
  options: ScaleOptions,
): Promise<LoadResult> {
  const h = options.hot
  await clients.connect({
    group: 'hot',
    dialect: server.spec.dialect,
    url: server.wsUrl,
    rooms: [plan],
    timeoutMs: 60_000,
  })
  await clients.round({ group: 'hot', rate: h.rate, durationMs: 1000, graceMs: 500 })
  const load = await measureRounds(
    clients,
    server,
    'hot',
    h.rate,
    h.rounds,
    h.roundMs,
    options.graceMs,
  )
  progress(
    `scale: ${server.spec.name} hot room p50 ${ms(load.latency.p50)} p99 ${ms(load.latency.p99)}, ` +
      `${load.cpuPerUpdateUs.toFixed(0)} µs CPU/update (client ${load.clientCpuUs.toFixed(0)} µs)`,
  )
  await clients.close('hot')
  return load
}
