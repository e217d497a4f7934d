/**
 * `npm run bench -- scale`: our built relay side by side with the y-websocket reference server,
 * Hocuspocus and a raw `ws` broadcast (the ceiling), in one run, each a child process pinned to the
 * server core while this process and its load worker run on the other (`taskset`, when there are
 * two cores and taskset exists). Servers run one after another; each goes through every scenario
 * (options.ts) before the next starts, so no two servers share the machine.
 *
 * The peers have no auth and no persistence; ours authenticates every socket with a real session
 * token, checks permissions and persists every update (SQLite in its own data folder).
 */
import { progress } from '../lib/report'
import { coldScenario } from './coldLoad'
import type { ColdLoad } from './coldLoad'
import { roomPlans } from './documents'
import { LoadClients } from './LoadClients'
import { nodesScenario } from './nodes'
import type { NodesResult } from './nodes'
import { scaleOptions } from './options'
import type { ScaleOptions } from './options'
import {
  fanoutScenario,
  hotScenario,
  saturationScenario,
  startScenario,
  stormScenario,
} from './scenarios'
import type {
  FanoutResult,
  LoadResult,
  SaturationResult,
  StartResult,
  StormResult,
} from './scenarios'
import { SERVERS, canPin, launcher, pinSelf } from './servers'
import type { ServerSpec } from './servers'

/** Everything measured on one server (a scenario left out of the run is absent). */
export interface ServerResults {
  readonly spec: ServerSpec
  start?: StartResult
  fanout?: FanoutResult
  saturation?: SaturationResult
  storm?: StormResult
  hot?: LoadResult
  cold?: ColdLoad[]
  nodes?: NodesResult
  error?: string
}

export interface ScaleReport {
  readonly options: ScaleOptions
  readonly pinned: boolean
  readonly servers: readonly ServerResults[]
}

/** Runs every selected scenario against every selected server. */
export async function runScaleBench(options: ScaleOptions = scaleOptions()): Promise<ScaleReport> {
  const pinned = canPin() && pinSelf()
  progress(
    pinned
      ? 'scale: load generator pinned to core 0, servers to core 1'
      : 'scale: taskset missing or one core only: running unpinned',
  )
  const results: ServerResults[] = []
  for (const spec of SERVERS.filter((s) => options.servers.includes(s.name))) {
    const result: ServerResults = { spec }
    results.push(result)
    try {
      await runServer(result, options)
    } catch (error) {
      result.error = String(error)
      progress(`scale: ${spec.name} failed: ${result.error}`)
    }
  }
  return { options, pinned, servers: results }
}

async function runServer(result: ServerResults, options: ScaleOptions): Promise<void> {
  const has = (name: ScaleOptions['scenarios'][number]): boolean => options.scenarios.includes(name)
  const launch = await launcher(result.spec)
  const clients = new LoadClients()
  let server = null
  try {
    progress(`scale: ${result.spec.label}`)
    if (has('start')) {
      result.start = await startScenario(launch, options.starts)
    }
    server = await launch.start()
    const needsFanout = has('fanout') || has('saturation') || has('storm')
    if (needsFanout) {
      const f = options.fanout
      const perRoom = Math.max(2, Math.round(f.clients / f.rooms))
      const plans = await roomPlans(server, 'fan', f.rooms, perRoom)
      if (result.spec.guarded) {
        // Provisioning grew our relay's heap; connections are measured on a fresh process, as
        // they are on the peers (which need no provisioning).
        await server.stop()
        server = await launch.start()
      }
      const running = server
      result.fanout = await fanoutScenario(clients, running, plans, options)
      if (has('saturation')) {
        result.saturation = await saturationScenario(clients, running, options)
      }
      if (has('storm')) {
        const storm = await stormScenario(clients, running, launch, f.rooms * perRoom)
        result.storm = storm.result
        server = storm.server
      }
      await clients.close('fanout')
    }
    if (has('hot')) {
      const [plan] = await roomPlans(server, 'hot', 1, options.hot.editors)
      if (plan !== undefined) {
        result.hot = await hotScenario(clients, server, plan, options)
      }
    }
    if (has('cold')) {
      const cold = await coldScenario(clients, server, launch, options)
      result.cold = cold.loads
      server = cold.server
    }
    if (has('nodes') && result.spec.name === 'ours') {
      // Nodes of its own on PostgreSQL and Redis; the SQLite relay makes way.
      await server.stop()
      server = null
      result.nodes = await nodesScenario(clients, options)
    }
  } finally {
    await clients.exit()
    await server?.stop()
    launch.dispose()
  }
}
