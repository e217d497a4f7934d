/**
 * The scale benchmark's knobs, from the environment, so that it runs small on a busy machine and
 * at full scale on a quiet one. `SCALE=small` picks the small preset; every `SCALE_*` variable below
 * overrides one figure of either preset.
 *
 * @example
 *   SCALE=small npm run bench -- scale
 *   SCALE_SERVERS=reference,ours SCALE_SCENARIOS=fanout,storm npm run bench -- scale
 */
import type { ServerName } from './servers'

export type ScenarioName = 'start' | 'fanout' | 'saturation' | 'hot' | 'storm' | 'cold' | 'nodes'

export const SCENARIOS: readonly ScenarioName[] = [
  'start',
  'fanout',
  'saturation',
  'hot',
  'storm',
  'cold',
  'nodes',
]
const SERVER_NAMES: readonly ServerName[] = ['reference', 'hocuspocus', 'ws', 'ours']

export interface ScaleOptions {
  readonly preset: 'full' | 'small'
  readonly servers: readonly ServerName[]
  readonly scenarios: readonly ScenarioName[]
  /** Starts per server for idle memory and restart-to-ready. */
  readonly starts: number
  /** Many rooms: clients spread evenly over rooms; `rate` updates/s over all rooms. */
  readonly fanout: {
    readonly clients: number
    readonly rooms: number
    readonly rate: number
    readonly warmupMs: number
    readonly rounds: number
    readonly roundMs: number
  }
  /** Saturation search: from `startRate`, × `factor` per step while the server keeps up. */
  readonly saturation: {
    readonly startRate: number
    readonly factor: number
    readonly maxSteps: number
    readonly roundMs: number
    /** A rate is kept up with while p99 ≤ this and every delivery arrives. */
    readonly p99LimitMs: number
  }
  readonly hot: {
    readonly editors: number
    readonly rate: number
    readonly rounds: number
    readonly roundMs: number
  }
  /** kill -9 with the fan-out's clients connected (`clients` of them, in `rooms`). */
  readonly storm: { readonly clients: number; readonly rooms: number }
  readonly cold: {
    /** Encoded sizes of the documents loaded cold (bytes). */
    readonly sizes: readonly number[]
    /** Updates/s in the other room whose latency is measured meanwhile. */
    readonly probeRate: number
  }
  /**
   * Ours only (nodes.ts): `count` nodes on PostgreSQL and Redis; two sets of `rooms` rooms of
   * `count` clients (all on node 1; one on each node), rounds alternating at `rate` updates/s,
   * twice the fan-out's count of rounds, each half as long.
   */
  readonly nodes: { readonly count: number; readonly rooms: number; readonly rate: number }
  /** Wait for late deliveries after a round (ms). */
  readonly graceMs: number
}

const FULL: ScaleOptions = {
  preset: 'full',
  servers: SERVER_NAMES,
  scenarios: SCENARIOS,
  starts: 5,
  fanout: { clients: 2000, rooms: 500, rate: 500, warmupMs: 3000, rounds: 4, roundMs: 5000 },
  saturation: { startRate: 500, factor: 1.5, maxSteps: 12, roundMs: 4000, p99LimitMs: 250 },
  hot: { editors: 200, rate: 50, rounds: 3, roundMs: 5000 },
  storm: { clients: 2000, rooms: 500 },
  cold: { sizes: [160_000, 1_600_000, 16_000_000], probeRate: 50 },
  nodes: { count: 3, rooms: 500, rate: 500 },
  graceMs: 3000,
}

const SMALL: ScaleOptions = {
  preset: 'small',
  servers: SERVER_NAMES,
  scenarios: SCENARIOS,
  starts: 3,
  fanout: { clients: 200, rooms: 50, rate: 50, warmupMs: 1000, rounds: 2, roundMs: 2000 },
  saturation: { startRate: 100, factor: 2, maxSteps: 3, roundMs: 2000, p99LimitMs: 250 },
  hot: { editors: 40, rate: 10, rounds: 2, roundMs: 2000 },
  storm: { clients: 200, rooms: 50 },
  cold: { sizes: [160_000, 1_600_000], probeRate: 20 },
  nodes: { count: 3, rooms: 50, rate: 50 },
  graceMs: 2000,
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${raw}`)
  }
  return value
}

function list<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  known: readonly T[],
  fallback: readonly T[],
): readonly T[] {
  const raw = env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const items = raw.split(',').map((item) => item.trim())
  const unknown = items.filter((item) => !(known as readonly string[]).includes(item))
  if (unknown.length > 0) {
    throw new Error(`${name}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`)
  }
  return items as T[]
}

/** @returns the options of this run. */
export function scaleOptions(env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  const base = env.SCALE === 'small' ? SMALL : FULL
  const f = base.fanout
  const clients = num(env, 'SCALE_CLIENTS', f.clients)
  const rooms = num(env, 'SCALE_ROOMS', f.rooms)
  const rate = num(env, 'SCALE_RATE', f.rate)
  return {
    preset: base.preset,
    servers: list(env, 'SCALE_SERVERS', SERVER_NAMES, base.servers),
    scenarios: list(env, 'SCALE_SCENARIOS', SCENARIOS, base.scenarios),
    starts: num(env, 'SCALE_STARTS', base.starts),
    fanout: {
      clients,
      rooms,
      rate,
      warmupMs: num(env, 'SCALE_WARMUP_MS', f.warmupMs),
      rounds: num(env, 'SCALE_ROUNDS', f.rounds),
      roundMs: num(env, 'SCALE_ROUND_MS', f.roundMs),
    },
    saturation: {
      startRate: num(env, 'SCALE_SAT_START', Math.max(rate, base.saturation.startRate)),
      factor: num(env, 'SCALE_SAT_FACTOR', base.saturation.factor),
      maxSteps: num(env, 'SCALE_SAT_STEPS', base.saturation.maxSteps),
      roundMs: num(env, 'SCALE_SAT_ROUND_MS', base.saturation.roundMs),
      p99LimitMs: num(env, 'SCALE_SAT_P99_MS', base.saturation.p99LimitMs),
    },
    hot: {
      editors: num(env, 'SCALE_HOT_EDITORS', base.hot.editors),
      rate: num(env, 'SCALE_HOT_RATE', base.hot.rate),
      rounds: num(env, 'SCALE_HOT_ROUNDS', base.hot.rounds),
      roundMs: num(env, 'SCALE_HOT_ROUND_MS', base.hot.roundMs),
    },
    storm: { clients, rooms },
    cold: {
      sizes: env.SCALE_COLD_SIZES
        ? env.SCALE_COLD_SIZES.split(',').map((size) => num({ size }, 'size', 1))
        : base.cold.sizes,
      probeRate: num(env, 'SCALE_COLD_PROBE_RATE', base.cold.probeRate),
    },
    nodes: {
      count: num(env, 'SCALE_NODES', base.nodes.count),
      rooms: num(env, 'SCALE_NODES_ROOMS', base.nodes.rooms),
      rate: num(env, 'SCALE_NODES_RATE', base.nodes.rate),
    },
    graceMs: num(env, 'SCALE_GRACE_MS', base.graceMs),
  }
}
