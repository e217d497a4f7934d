/**
 * One node against several (issue 23, "three nodes: cross-node p99 ≤ 2× single-node p99 at the same
 * load"). Our built relay as `npm run cluster` runs it (PostgreSQL and Redis; a database and a
 * Redis prefix of this run's own), `count` nodes. Two sets of `rooms` rooms of `count` members
 * each, all connected at once: in the one-node set every client is on node 1; in the spread set
 * each member of a room is on a different node, so every delivery measured there crosses nodes
 * (the sender's node publishes through Redis, the receiver's node fans out). Rounds alternate
 * between the two sets, at the same rate, so that both see the same machine: on a shared machine
 * the load of others moves latencies by 10× within minutes, and runs one after the other compare
 * the moments more than the setups. Every node is pinned to the server core, like every server of
 * the scale bench; PostgreSQL and Redis are the machine's own services and are not pinned.
 */
import { Redis } from 'ioredis'
import { createTestDatabase } from '../../tests/utils/relay'
import { markdownTable, ms, print, progress } from '../lib/report'
import { summarize } from '../lib/stats'
import type { LatencySummary } from '../lib/stats'
import type { LoadClients } from './LoadClients'
import type { ScaleOptions } from './options'
import type { RoundResult } from './protocol'
import { roomPlans } from './documents'
import { middle } from './scenarios'
import { SERVERS, launcher } from './servers'
import type { RunningServer, ServerLauncher, ServerSpec } from './servers'

/** The rounds of one set of rooms, pooled. */
export interface PooledRounds {
  readonly latency: LatencySummary
  readonly updates: number
  readonly deliveriesExpected: number
  /** CPU of every node process over this set's rounds, per update sent (µs). */
  readonly cpuPerUpdateUs: number
  /**
   * PUBLISH commands Redis carried out over this set's rounds, per update sent (Redis's own
   * count, so anyone else publishing on this Redis meanwhile is counted too).
   */
  readonly publishesPerUpdate: number
  readonly clientElu: number
  /** p99 of each round (ms), in order. */
  readonly roundP99: readonly number[]
}

/** What one node and several nodes gave under the same load, rounds interleaved. */
export interface NodesResult {
  readonly count: number
  readonly rooms: number
  readonly rate: number
  readonly roundMs: number
  /** Every client on node 1: same-node deliveries. */
  readonly single: PooledRounds
  /** Each room's clients on different nodes: every delivery crosses nodes. */
  readonly several: PooledRounds
  /** Median over the pairs of rounds (one-node round, then spread round) of p99 spread ÷ p99 one. */
  readonly pairedP99Ratio: number
  /** Whether every room ended with the same text on every client. */
  readonly converged: boolean
}

const OURS: ServerSpec | undefined = SERVERS.find((spec) => spec.name === 'ours')

/** @returns how many PUBLISH commands Redis has carried out since it started */
async function publishes(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats')
  return Number(/cmdstat_publish:calls=(\d+)/.exec(stats)?.[1] ?? 0)
}

function pool(rounds: readonly RoundResult[], cpuMs: number, published: number): PooledRounds {
  const updates = rounds.reduce((n, r) => n + r.updatesSent, 0)
  return {
    publishesPerUpdate: published / Math.max(1, updates),
    latency: summarize(rounds.flatMap((r) => [...r.latencies])),
    updates,
    deliveriesExpected: rounds.reduce((n, r) => n + r.deliveriesExpected, 0),
    cpuPerUpdateUs: (cpuMs * 1000) / Math.max(1, updates),
    clientElu: Math.max(...rounds.map((r) => r.clientElu)),
    roundP99: rounds.map((r) => summarize(r.latencies).p99),
  }
}

/** Runs the one-node and the spread set of rooms in alternating rounds (see the file's header). */
export async function nodesScenario(
  clients: LoadClients,
  options: ScaleOptions,
): Promise<NodesResult> {
  const { count, rooms, rate } = options.nodes
  if (OURS === undefined || !Number.isInteger(count) || count < 2) {
    throw new Error(`SCALE_NODES must be an integer of at least 2, got ${count}`)
  }
  const database = await createTestDatabase()
  const env = {
    QILU_DATABASE_URL: database.url,
    QILU_REDIS_URL: process.env.QILU_REDIS_URL || 'redis://127.0.0.1:6379',
    QILU_REDIS_PREFIX: `qilu-scale-${process.pid}-${Date.now()}`,
  }
  const launchers: ServerLauncher[] = []
  const nodes: RunningServer[] = []
  const redis = new Redis(env.QILU_REDIS_URL, { lazyConnect: true })
  try {
    await redis.connect()
    for (let i = 0; i < count; i++) {
      launchers.push(await launcher(OURS, env))
    }
    const [firstLauncher] = launchers
    if (firstLauncher === undefined) {
      throw new Error('no launcher')
    }
    progress(`scale: one node against ${count} on PostgreSQL and Redis, rounds interleaved`)
    // Node 1 alone migrates the database and creates the admin, as `npm run cluster` starts it.
    const provisioning = await firstLauncher.start()
    const onePlans = await roomPlans(provisioning, 'nodes-one', rooms, count)
    const spreadPlans = await roomPlans(provisioning, 'nodes-spread', rooms, count)
    // Provisioning grew its heap; the runs start from fresh processes, as the fan-out's does.
    await provisioning.stop()
    for (const each of launchers) {
      nodes.push(await each.start())
    }
    const [first] = nodes
    if (first === undefined) {
      throw new Error('no node')
    }
    const sets = [
      { group: 'nodes-one', urls: [first.wsUrl], plans: onePlans },
      { group: 'nodes-spread', urls: nodes.map((node) => node.wsUrl), plans: spreadPlans },
    ]
    for (const set of sets) {
      await clients.connect({
        group: set.group,
        dialect: first.spec.dialect,
        url: first.wsUrl,
        urls: set.urls,
        rooms: set.plans,
        timeoutMs: 120_000,
      })
    }
    const f = options.fanout
    for (const set of sets) {
      await clients.round({ group: set.group, rate, durationMs: f.warmupMs, graceMs: 500 })
    }
    const cpuNow = (): number => nodes.reduce((sum, node) => sum + node.cpuMs(), 0)
    const roundMs = f.roundMs / 2
    const measured = sets.map(() => ({ rounds: [] as RoundResult[], cpuMs: 0, published: 0 }))
    for (let pair = 0; pair < f.rounds * 2; pair++) {
      for (const [i, set] of sets.entries()) {
        const before = cpuNow()
        const publishedBefore = await publishes(redis)
        const result = await clients.round({
          group: set.group,
          rate,
          durationMs: roundMs,
          graceMs: options.graceMs,
        })
        const into = measured[i]
        if (into !== undefined) {
          into.cpuMs += cpuNow() - before
          into.published += (await publishes(redis)) - publishedBefore
          into.rounds.push(result)
        }
      }
    }
    const [single, several] = measured.map((m) => pool(m.rounds, m.cpuMs, m.published))
    if (single === undefined || several === undefined) {
      throw new Error('no rounds')
    }
    const converged = (await clients.verify('nodes-one')) && (await clients.verify('nodes-spread'))
    for (const set of sets) {
      await clients.close(set.group)
    }
    const pairedP99Ratio = middle(
      single.roundP99.map((p99, i) => (several.roundP99[i] ?? Number.NaN) / p99),
    )
    progress(
      `scale: one node p99 ${ms(single.latency.p99)}, ${count} nodes p99 ${ms(several.latency.p99)}, ` +
        `paired ratio ${pairedP99Ratio.toFixed(2)}×`,
    )
    return { count, rooms, rate, roundMs, single, several, pairedP99Ratio, converged }
  } finally {
    redis.disconnect()
    await Promise.all(nodes.map((node) => node.stop()))
    launchers.forEach((made) => made.dispose())
    await database.drop()
  }
}

/** Prints the one-node and several-node rounds side by side. */
export function printNodes(result: NodesResult, pinned: boolean): void {
  const { single, several, count } = result
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`
  const missing = (load: PooledRounds): number => load.deliveriesExpected - load.latency.count
  const us = (value: number): string => `${value.toFixed(0)} µs`
  print()
  print(`### One node against ${count} (our relay on PostgreSQL and Redis)`)
  print()
  print(
    `Two sets of ${result.rooms} rooms of ${count} clients, connected at once: every client of the ` +
      `one-node set on node 1; in the spread set each room has one client on each node, so every ` +
      `delivery crosses nodes. Rounds of ${ms(result.roundMs)} alternate between the sets, ` +
      `${single.roundP99.length} each, at ${result.rate} updates/s. ${
        pinned
          ? `All ${count} nodes pinned to core 1 together, the load generator to core 0`
          : 'Unpinned (no taskset or one core)'
      }; PostgreSQL and Redis not pinned. CPU is every node's, summed.`,
  )
  print()
  const row = (
    label: string,
    figure: (load: PooledRounds) => number,
    format: (v: number) => string,
  ): string[] => [
    label,
    format(figure(single)),
    format(figure(several)),
    ratio(figure(several), figure(single)),
  ]
  print(
    markdownTable(
      ['', 'one node', `${count} nodes (cross-node)`, 'ratio'],
      [
        row('p50', (load) => load.latency.p50, ms),
        row('p99', (load) => load.latency.p99, ms),
        [
          "p99, median of the paired rounds' ratios",
          '',
          '',
          `${result.pairedP99Ratio.toFixed(2)}×`,
        ],
        row('max', (load) => load.latency.max, ms),
        row('server CPU per update (all nodes)', (load) => load.cpuPerUpdateUs, us),
        row(
          'Redis PUBLISH per update',
          (load) => load.publishesPerUpdate,
          (v) => v.toFixed(2),
        ),
        [
          'updates / deliveries missing',
          `${single.updates} / ${missing(single)}`,
          `${several.updates} / ${missing(several)}`,
          '',
        ],
        ['client ELU (max)', single.clientElu.toFixed(2), several.clientElu.toFixed(2), ''],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  )
  print()
  print(
    `p99 of each round, one node: ${single.roundP99.map((v) => ms(v)).join(', ')}; ` +
      `${count} nodes: ${several.roundP99.map((v) => ms(v)).join(', ')}. ` +
      `Every room converged: ${result.converged ? 'yes' : 'NO'}.`,
  )
}
