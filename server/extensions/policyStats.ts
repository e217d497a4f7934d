/** What the document policy's checks cost and did (for BENCHMARKS.md and the metrics endpoint). */
import { performance } from 'node:perf_hooks'

/** Counters of DocumentPolicyExtension. */
export interface PolicyStats {
  checked: number
  refused: number
  /** Total time spent decoding, placing and judging, in milliseconds. */
  totalMs: number
  /** Longest single check (or slice of one), in milliseconds. */
  maxMs: number
  /** Update parts held for missing dependencies, and those dropped when they never came. */
  held: number
  dropped: number
  /** Updates decoded on the worker and judged in slices, and the slices applied. */
  sliced: number
  slices: number
}

/** @returns counters at zero. */
export function newPolicyStats(): PolicyStats {
  return { checked: 0, refused: 0, totalMs: 0, maxMs: 0, held: 0, dropped: 0, sliced: 0, slices: 0 }
}

/** Adds the time since `started` (performance.now()) to the stats; `counts`: one more check. */
export function spent(stats: PolicyStats, started: number, counts: boolean): void {
  const elapsed = performance.now() - started
  stats.totalMs += elapsed
  stats.maxMs = Math.max(stats.maxMs, elapsed)
  if (counts) {
    stats.checked++
  }
}
