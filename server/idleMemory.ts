/**
 * Gives the relay's memory back when it has nothing to do (issue 23). V8 keeps the heap its busiest
 * moment needed: the start's allocations grow the young generation and leave compiled code of
 * functions that never run again (migrations, route building). A memory-reducing collection — the
 * one V8 runs before it gives up for lack of memory — shrinks the young generation, flushes unused
 * bytecode and returns free pages. It is what brings an idle relay from ~99 to ~89 MB
 * (BENCHMARKS.md §10). It runs only when no socket is open and no room loaded: on a busy relay the
 * memory would be taken again at once, and the pause (two full collections, about 90 ms of CPU on
 * the benchmark machine) would delay updates.
 *
 * Node's compile cache (NODE_COMPILE_CACHE) is written before the first collection: written at exit,
 * after the collection flushed the start's bytecode, it would hold less and the next start would
 * compile more (+35 ms of CPU until ready, measured).
 *
 * The collection needs Node's `--expose-gc` (scripts/relayProcess.mjs passes it to the relay);
 * without it (tests, `tsx`) this does nothing.
 */
import { flushCompileCache } from 'node:module'

/** What the reducer reads of the relay. */
export interface IdleProbe {
  readonly connectionCount: number
  readonly roomCount: number
}

/** When to look. */
export interface IdleMemoryTiming {
  /** After the start, when the start's garbage is done (ms). */
  readonly firstMs: number
  /** Then how often to look whether the relay has gone idle after work (ms). */
  readonly everyMs: number
}

export const DEFAULT_IDLE_MEMORY_TIMING: IdleMemoryTiming = { firstMs: 1000, everyMs: 5000 }

/** The collector: Node's `gc` when the process runs with `--expose-gc`. */
export type Collector = (options: NodeJS.GCOptions) => void

/**
 * @returns Node's exposed `gc` (the compile cache written first), or null when the process runs
 *   without `--expose-gc`
 */
export function exposedCollector(): Collector | null {
  const exposed = globalThis.gc
  if (exposed === undefined) {
    return null
  }
  return (options) => {
    // Writes only what is not on disk yet: a no-op after the first time.
    flushCompileCache()
    exposed(options)
  }
}

/**
 * Runs a memory-reducing collection once the start is done, and again each time the relay has
 * gone idle after having had sockets or rooms. Timers are unref'd: they never keep the process up.
 * @returns a function that stops it
 */
export function reduceMemoryWhenIdle(
  relay: IdleProbe,
  collect: Collector | null,
  timing: IdleMemoryTiming = DEFAULT_IDLE_MEMORY_TIMING,
): () => void {
  if (collect === null) {
    return () => {}
  }
  // The start counts as work: the first look collects if the relay is idle by then.
  let worked = true
  const look = (): void => {
    if (relay.connectionCount > 0 || relay.roomCount > 0) {
      worked = true
      return
    }
    if (!worked) {
      return
    }
    worked = false
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  }
  let every: NodeJS.Timeout | null = null
  const first = setTimeout(() => {
    look()
    every = setInterval(look, timing.everyMs)
    every.unref()
  }, timing.firstMs)
  first.unref()
  return () => {
    clearTimeout(first)
    if (every !== null) {
      clearInterval(every)
    }
  }
}
