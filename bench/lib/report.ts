/** Output helpers: the benchmark prints Markdown tables that can be pasted into BENCHMARKS.md. */

/** Writes one line to stdout (the benchmark's report channel; diagnostics go to stderr). */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** Writes one progress line to stderr, so stdout stays a clean report. */
export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

/** Column alignment of a Markdown table. */
export type Align =
  /** Text columns. */
  | 'left'
  /** Figures. */
  | 'right'

/** @returns a Markdown table with a header row. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const rule = headers.map((_, i) => (align[i] === 'right' ? '---:' : '---'))
  return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

/** @returns milliseconds with a precision that suits their size, e.g. `0.84 ms`, `12.3 ms`, `1234 ms`. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) {
    return 'n/a'
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0
  return `${value.toFixed(digits)} ms`
}

/** @returns `a / b` as e.g. `1.07×`. */
export function ratio(a: number, b: number): string {
  return Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a'
}

/** @returns an integer with thousands separators, e.g. `36,000`. */
export function count(value: number): string {
  return value.toLocaleString('en-US')
}

/** @returns a byte count, e.g. `311,038 B (304 KiB)`. */
export function bytes(value: number): string {
  return value < 1024 ? `${value} B` : `${count(value)} B (${Math.round(value / 1024)} KiB)`
}
