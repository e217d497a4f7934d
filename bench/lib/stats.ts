/** Summary statistics for latency samples (nearest-rank percentiles, no interpolation). */

/** The figures a latency table reports. */
export interface LatencySummary {
  readonly count: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

/**
 * @param sorted samples in ascending order, at least one
 * @param p percentile in (0, 100]
 * @returns the nearest-rank percentile: the smallest sample with at least p % of samples at or below it
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
}

/** @returns count, p50, p99, max and mean of `samples` (NaN figures when there are none). */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const value of sorted) {
    sum += value
  }
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  }
}

/** @returns the median of `samples` (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length === 0) {
    return Number.NaN
  }
  const middle = Math.floor(sorted.length / 2)
  const upper = sorted[middle] ?? Number.NaN
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2
}
