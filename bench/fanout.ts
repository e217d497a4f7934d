/**
 * Update fan-out latency: 200 clients in 20 rooms (10 per room), our relay side by side with the
 * stock y-websocket server, in one run. Printed by lib/fanoutReport.ts.
 *
 * Where things run, and why:
 * - Our relay runs in this process's main thread (`startRelay`: real auth, ACL, SQLite persistence in
 *   a temporary folder); the reference server runs as a child process (`y-websocket/bin/server.cjs`).
 * - All 200 + 200 clients run in ONE worker thread. In the main thread they would share an event
 *   loop with our in-process relay while the reference server had a process of its own; in a worker
 *   each server has an event loop to itself and both face the very same client code. One client
 *   thread also keeps a single `performance.now()` clock for the sender's insert and every
 *   receiver's observation. Its event-loop utilisation is reported: while it stays well below 1 the
 *   latency is not dominated by the client side (a second client thread would not help on 2 cores).
 * - Rounds alternate (ours, reference, reference, ours, …) so drift in the load of this shared
 *   2-core machine falls on both servers alike, and an idle sentinel thread flags the rounds in
 *   which the machine itself stalled. Read the ratios, not the absolute figures.
 * - Our relay pays for persistence as in steady state: the rooms' stored logs are staggered so that
 *   compactions fall due one room after another during the rounds, and a probe on the Storage
 *   instance times every log write and compaction (they run on the relay's event-loop thread).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { startTestRelay } from '../tests/utils/relay'
import { FanoutClients } from './lib/FanoutClients'
import type { RoundPlan, RoundResult, Target } from './lib/fanoutProtocol'
import { provisionRooms, staggerCompaction } from './lib/provision'
import { startReferenceServer } from './lib/referenceServer'
import { median, summarize } from './lib/stats'
import type { LatencySummary } from './lib/stats'
import { threadCpuMs } from './lib/cpu'
import { probeStorage } from './lib/storageProbe'
import type { StorageProbe, StorageSample } from './lib/storageProbe'
import { MACHINE_STALL_MS, StallSentinel } from './lib/StallSentinel'
import { ms, progress } from './lib/report'

/** The workload. */
export interface FanoutOptions {
  readonly rooms: number
  readonly clientsPerRoom: number
  /** Each room sends one update per interval (round-robin over its clients). */
  readonly intervalMs: number
  /** Unrecorded traffic per server before the first round. */
  readonly warmupMs: number
  /** Recorded rounds per server, alternating between the servers. */
  readonly rounds: number
  readonly roundMs: number
  /** Wait for late deliveries after a round's last send. */
  readonly graceMs: number
}

/**
 * 200 clients in 20 rooms, each room one update every 50 ms, 8 × 2 s recorded per server. Many short
 * rounds rather than a few long ones: a stall of the shared machine then spoils a round or two of
 * one server, which the median of the rounds' p99s shrugs off.
 */
export const DEFAULT_FANOUT: FanoutOptions = {
  rooms: 20,
  clientsPerRoom: 10,
  intervalMs: 50,
  warmupMs: 3000,
  rounds: 8,
  roundMs: 2000,
  graceMs: 2000,
}

/** A storage call slower than this (ms) stalls every room's fan-out noticeably. */
export const SLOW_STORAGE_MS = 2

/** One recorded round of one server. */
export interface FanoutRound {
  readonly latency: LatencySummary
  /** CPU of the server's main thread as a share of one core, or null without procfs. */
  readonly serverCpu: number | null
  /** Longest delay of the idle sentinel thread during the round (ms). */
  readonly machineStallMs: number
  /** Longest GC pause of the server thread, where observable (our relay's, in this process). */
  readonly serverGcMaxMs: number | null
  /** Our relay's update-log storage calls during the round (empty for the reference). */
  readonly storage: StorageSample
  readonly result: RoundResult
}

/** One server's results over all its recorded rounds. */
export interface FanoutServerResult {
  readonly target: Target
  /** All recorded rounds pooled. */
  readonly latency: LatencySummary
  readonly rounds: readonly FanoutRound[]
  /**
   * Median of the rounds' p99s: one stall of the shared machine can set the pooled p99, so this
   * figure says which server is faster in a typical round.
   */
  readonly medianRoundP99: number
  /** Rounds pooled, leaving out those in which the sentinel saw the machine stall. */
  readonly quiet: LatencySummary
  readonly quietRounds: number
  readonly deliveriesExpected: number
  readonly disconnects: number
  /** Mean CPU of the server's main thread over the rounds, as a share of one core. */
  readonly serverCpu: number | null
  /** Highest event-loop utilisation of the client thread in a recorded round. */
  readonly clientElu: number
  readonly converged: boolean
  readonly connectMs: number
}

/** The benchmark's results. */
export interface FanoutReport {
  readonly options: FanoutOptions
  readonly ours: FanoutServerResult
  readonly reference: FanoutServerResult
  /** Durations (ms) of our relay's update-log writes during its recorded rounds. */
  readonly logWrites: LatencySummary
  /** Durations (ms) of our relay's compactions (snapshot writes) during its recorded rounds. */
  readonly compactions: LatencySummary
  /** Storage calls (writes and compactions) slower than SLOW_STORAGE_MS, and their total time. */
  readonly slowStorage: { readonly calls: number; readonly totalMs: number }
}

/** Runs the fan-out benchmark against both servers and returns its figures. */
export async function runFanoutBench(
  options: FanoutOptions = DEFAULT_FANOUT,
): Promise<FanoutReport> {
  const relay = await startTestRelay()
  const reference = await startReferenceServer().catch(async (error: unknown) => {
    await relay.close()
    throw error
  })
  const clients = new FanoutClients()
  const sentinel = new StallSentinel()
  try {
    const people = options.rooms * options.clientsPerRoom
    progress(`fan-out: provisioning ${people} accounts and ${options.rooms} documents`)
    const plans = await provisionRooms(relay, options.rooms, options.clientsPerRoom)
    await staggerCompaction(relay.storage, plans)
    const pids: Record<Target, number> = { ours: process.pid, reference: reference.pid }
    const connectMs: Record<Target, number> = {
      ours: await clients.connect('ours', relay.wsUrl, plans),
      // The reference server has no auth: same rooms, no tokens.
      reference: await clients.connect(
        'reference',
        reference.wsUrl,
        plans.map((plan) => ({ name: plan.name, tokens: plan.tokens.map(() => null) })),
      ),
    }
    // Every room is loaded now; from here on the relay reads a room's log only to compact it.
    const probe = probeStorage(relay.storage)
    progress(`fan-out: connected in ${ms(connectMs.ours)} (ours), ${ms(connectMs.reference)} (ref)`)
    const schedule = { intervalMs: options.intervalMs, graceMs: options.graceMs }
    const warmup: RoundPlan = { ...schedule, durationMs: options.warmupMs }
    await clients.round('ours', warmup)
    await clients.round('reference', warmup)

    const rounds: Record<Target, FanoutRound[]> = { ours: [], reference: [] }
    const plan: RoundPlan = { ...schedule, durationMs: options.roundMs }
    for (let i = 0; i < options.rounds; i++) {
      const order: Target[] = i % 2 === 0 ? ['ours', 'reference'] : ['reference', 'ours']
      for (const target of order) {
        const round = await recordRound(clients, target, plan, pids[target], sentinel, probe)
        rounds[target].push(round)
        progress(
          `fan-out: round ${i + 1} ${target}: p99 ${ms(round.latency.p99)}; client thread: ELU ` +
            `${round.result.clientElu.toFixed(2)}, longest delay ${ms(round.result.clientLoopDelayMaxMs)}, ` +
            `longest GC ${ms(round.result.clientGcMaxMs)}; relay GC ${ms(round.serverGcMaxMs ?? NaN)}; ` +
            `idle sentinel ${ms(round.machineStallMs)}`,
        )
      }
    }
    const storage = rounds.ours.map((r) => r.storage)
    const slow = storage
      .flatMap((s) => [...s.writes, ...s.compactions])
      .filter((d) => d > SLOW_STORAGE_MS)
    return {
      options,
      ours: await combine(clients, 'ours', rounds.ours, connectMs.ours),
      reference: await combine(clients, 'reference', rounds.reference, connectMs.reference),
      logWrites: summarize(storage.flatMap((s) => s.writes)),
      compactions: summarize(storage.flatMap((s) => s.compactions)),
      slowStorage: { calls: slow.length, totalMs: sum(slow) },
    }
  } finally {
    await sentinel.close()
    await clients.close()
    await reference.close()
    await relay.close()
  }
}

/** Runs one recorded round against `target` with everything measured around it. */
async function recordRound(
  clients: FanoutClients,
  target: Target,
  plan: RoundPlan,
  pid: number,
  sentinel: StallSentinel,
  probe: StorageProbe,
): Promise<FanoutRound> {
  // Our relay shares this process, so its GC pauses are observable here; the reference's are not.
  let gcMax = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMax = Math.max(gcMax, entry.duration)
    }
  })
  if (target === 'ours') {
    gc.observe({ entryTypes: ['gc'] })
  }
  probe.take()
  await sentinel.mark()
  const cpuBefore = threadCpuMs(pid)
  const wallBefore = performance.now()
  const result = await clients.round(target, plan)
  const cpuAfter = threadCpuMs(pid)
  const wall = performance.now() - wallBefore
  const machineStallMs = await sentinel.mark()
  gc.disconnect()
  return {
    latency: summarize(result.latencies),
    serverCpu: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / wall,
    machineStallMs,
    serverGcMaxMs: target === 'ours' ? gcMax : null,
    storage: probe.take(),
    result,
  }
}

async function combine(
  clients: FanoutClients,
  target: Target,
  rounds: readonly FanoutRound[],
  connectMs: number,
): Promise<FanoutServerResult> {
  const quiet = rounds.filter((r) => !(r.machineStallMs > MACHINE_STALL_MS))
  const cpu = rounds.map((r) => r.serverCpu)
  const { converged } = await clients.verify(target)
  return {
    target,
    latency: summarize(rounds.flatMap((r) => [...r.result.latencies])),
    rounds,
    medianRoundP99: median(rounds.map((r) => r.latency.p99)),
    quiet: summarize(quiet.flatMap((r) => [...r.result.latencies])),
    quietRounds: quiet.length,
    deliveriesExpected: sum(rounds.map((r) => r.result.deliveriesExpected)),
    disconnects: sum(rounds.map((r) => r.result.disconnects)),
    serverCpu: cpu.every((c) => c !== null) ? sum(cpu) / cpu.length : null,
    clientElu: Math.max(...rounds.map((r) => r.result.clientElu)),
    converged,
    connectMs,
  }
}

function sum(values: readonly (number | null)[]): number {
  return values.reduce<number>((total, value) => total + (value ?? 0), 0)
}
