/**
 * One node against several (issue 23, "three nodes: cross-node p99 ≤ 2× single-node p99 at the same
 * load"). Our built relay as `npm run cluster` runs it (PostgreSQL and Redis; a database and a
 * Redis prefix of this run's own): first one node alone, then `count` nodes, each run with the same
 * clients (same accounts, same rooms) at the same rate, then one node again (the others idle), so
 * that a change of the machine's load shows. Every room has `count` members; in the
 * several-node run each sits on a different node, so every delivery measured crosses nodes (the
 * sender's node publishes through Redis, the receiver's node fans out). In the one-node run every
 * client is on the one node. Every node is pinned to the server core, like every server of the
 * scale bench; PostgreSQL and Redis are the machine's own services and are not pinned.
 */
import { createTestDatabase } from '../../tests/utils/relay'
import { markdownTable, ms, print, progress } from '../lib/report'
import type { LoadClients } from './LoadClients'
import type { ScaleOptions } from './options'
import type { RoomPlan } from './protocol'
import { roomPlans } from './documents'
import { measureRounds } from './scenarios'
import type { LoadResult } from './scenarios'
import { SERVERS, launcher } from './servers'
import type { RunningServer, ServerLauncher, ServerSpec } from './servers'

/** What one node and several nodes gave under the same load. */
export interface NodesResult {
  readonly count: number
  readonly rooms: number
  readonly rate: number
  /** Every client on one node: same-node deliveries. */
  readonly single: LoadResult
  /**
   * The one-node run again after the several-node run (the other nodes idle, without clients), so
   * that a change of the machine's load during the run shows.
   */
  readonly singleAgain: LoadResult
  /** Each room's clients on different nodes: every delivery crosses nodes. */
  readonly several: LoadResult
  /** Whether every room ended with the same text on every client, in each run. */
  readonly converged: boolean
}

const OURS: ServerSpec | undefined = SERVERS.find((spec) => spec.name === 'ours')

/** Sums the CPU of several node processes, so CPU per update is the whole cluster's. */
function together(nodes: readonly RunningServer[]): RunningServer {
  const [first] = nodes
  if (first === undefined) {
    throw new Error('no node')
  }
  return { ...first, cpuMs: () => nodes.reduce((sum, node) => sum + node.cpuMs(), 0) }
}

async function loadOn(
  clients: LoadClients,
  nodes: readonly RunningServer[],
  plans: readonly RoomPlan[],
  options: ScaleOptions,
  group: string,
): Promise<{ load: LoadResult; converged: boolean }> {
  const [first] = nodes
  if (first === undefined) {
    throw new Error('no node')
  }
  await clients.connect({
    group,
    dialect: first.spec.dialect,
    url: first.wsUrl,
    urls: nodes.map((node) => node.wsUrl),
    rooms: plans,
    timeoutMs: 120_000,
  })
  const { rate } = options.nodes
  const f = options.fanout
  await clients.round({ group, rate, durationMs: f.warmupMs, graceMs: 500 })
  const load = await measureRounds(
    clients,
    together(nodes),
    group,
    rate,
    f.rounds,
    f.roundMs,
    options.graceMs,
  )
  const converged = await clients.verify(group)
  await clients.close(group)
  progress(
    `scale: ${nodes.length} node(s) p50 ${ms(load.latency.p50)} p99 ${ms(load.latency.p99)}, ` +
      `${load.cpuPerUpdateUs.toFixed(0)} µs CPU/update (all nodes), ` +
      `${load.deliveriesExpected - load.latency.count} deliveries missing`,
  )
  return { load, converged }
}

/** Runs one node, then `options.nodes.count` nodes, then one node again, under the same load. */
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
  const running: RunningServer[] = []
  try {
    for (let i = 0; i < count; i++) {
      launchers.push(await launcher(OURS, env))
    }
    const [firstLauncher] = launchers
    if (firstLauncher === undefined) {
      throw new Error('no launcher')
    }
    progress(`scale: one node against ${count} on PostgreSQL and Redis`)
    // Node 1 alone migrates the database and creates the admin, as `npm run cluster` starts it.
    const provisioning = await firstLauncher.start()
    const plans = await roomPlans(provisioning, 'nodes', rooms, count)
    // Provisioning grew its heap; the runs start from a fresh process, as the fan-out's does.
    await provisioning.stop()
    running.push(await firstLauncher.start())
    const single = await loadOn(clients, running, plans, options, 'nodes-1')
    for (const next of launchers.slice(1)) {
      running.push(await next.start())
    }
    const several = await loadOn(clients, running, plans, options, `nodes-${count}`)
    const again = await loadOn(clients, running.slice(0, 1), plans, options, 'nodes-1-again')
    return {
      count,
      rooms,
      rate,
      single: single.load,
      singleAgain: again.load,
      several: several.load,
      converged: single.converged && several.converged && again.converged,
    }
  } finally {
    await Promise.all(running.map((node) => node.stop()))
    launchers.forEach((made) => made.dispose())
    await database.drop()
  }
}

/** Prints the one-node and several-node runs side by side. */
export function printNodes(result: NodesResult, pinned: boolean): void {
  const { single, several, count } = result
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`
  const missing = (load: LoadResult): number => load.deliveriesExpected - load.latency.count
  print()
  print(`### One node against ${count} (our relay on PostgreSQL and Redis)`)
  print()
  print(
    `${result.rooms} rooms of ${count} clients (${result.rooms * count} clients) at ${result.rate} updates/s, ` +
      `the same clients and rate in every run: one node, then ${count} nodes (each room has one ` +
      `client on each node, so every delivery crosses nodes), then one node again (the others idle). ${
        pinned
          ? 'Every node pinned to core 1 (all of them together), the load generator to core 0'
          : 'Unpinned (no taskset or one core)'
      }; PostgreSQL and Redis not pinned.`,
  )
  print()
  const runs = [single, several, result.singleAgain]
  const both = (figure: (load: LoadResult) => number): string =>
    `${ratio(figure(several), figure(single))} / ${ratio(figure(several), figure(result.singleAgain))}`
  const row = (
    label: string,
    figure: (load: LoadResult) => number,
    format: (v: number) => string,
  ) => [label, ...runs.map((load) => format(figure(load))), both(figure)]
  const us = (value: number): string => `${value.toFixed(0)} µs`
  print(
    markdownTable(
      [
        '',
        'one node',
        `${count} nodes (cross-node)`,
        'one node again',
        `${count} nodes ÷ one node (before / again)`,
      ],
      [
        row('p50', (load) => load.latency.p50, ms),
        row('p99', (load) => load.latency.p99, ms),
        row('max', (load) => load.latency.max, ms),
        row('server CPU per update (all nodes)', (load) => load.cpuPerUpdateUs, us),
        [
          'updates / deliveries missing',
          ...runs.map((load) => `${load.updates} / ${missing(load)}`),
          '',
        ],
        ['client ELU', ...runs.map((load) => load.clientElu.toFixed(2)), ''],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  print(`Every room converged in every run: ${result.converged ? 'yes' : 'NO'}.`)
}
