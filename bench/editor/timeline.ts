/**
 * Chromium performance traces (the DevTools timeline categories) around a piece of the benchmark,
 * summarised as time per event name on the page's main thread: script (FunctionCall,
 * EventDispatch, TimerFire …), style (UpdateLayoutTree), layout, pre-paint, paint and so on. CPU
 * profiles show JavaScript; this shows what Blink does outside it, which profiles lump together as
 * "(program)".
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'

interface TraceEvent {
  readonly name: string
  readonly ph: string
  readonly pid: number
  readonly tid: number
  readonly ts: number
  readonly dur?: number
  readonly args?: { readonly name?: string }
}

/** Total time of one event name on the main thread. */
export interface TimelineLine {
  readonly name: string
  readonly ms: number
  readonly count: number
}

/** A summarised timeline. */
export interface TimelineSummary {
  readonly file: string
  readonly wallMs: number
  /** Time inside top-level tasks (RunTask) on the main thread. */
  readonly taskMs: number
  /**
   * Per event name, inclusive of nested events (a forced layout inside a script call counts in
   * both), largest first.
   */
  readonly events: readonly TimelineLine[]
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8']

function isTraceEvent(value: unknown): value is TraceEvent {
  return typeof value === 'object' && value !== null && 'name' in value && 'ph' in value
}

/** Records a trace of `work` in `page`, writes it to `file`. @returns the summary */
export async function tracePage(
  browser: Browser,
  page: Page,
  file: string,
  work: () => Promise<void>,
  top = 18,
): Promise<TimelineSummary> {
  await browser.startTracing(page, { categories: CATEGORIES })
  let buffer: Buffer
  try {
    await work()
  } finally {
    buffer = await browser.stopTracing()
  }
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, buffer)
  const parsed: unknown = JSON.parse(buffer.toString('utf8'))
  const events: unknown[] =
    typeof parsed === 'object' && parsed !== null && 'traceEvents' in parsed
      ? (parsed.traceEvents as unknown[])
      : Array.isArray(parsed)
        ? parsed
        : []
  return summarize(events.filter(isTraceEvent), file, top)
}

function summarize(events: readonly TraceEvent[], file: string, top: number): TimelineSummary {
  // The page's main thread: the renderer thread named CrRendererMain with the most tasks.
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  const tasks = new Map<string, number>()
  for (const e of events) {
    if (e.name === 'RunTask' && e.ph === 'X') {
      const key = `${e.pid}:${e.tid}`
      tasks.set(key, (tasks.get(key) ?? 0) + (e.dur ?? 0))
    }
  }
  let main = ''
  let mainTaskUs = -1
  for (const m of mains) {
    const key = `${m.pid}:${m.tid}`
    const us = tasks.get(key) ?? 0
    if (us > mainTaskUs) {
      main = key
      mainTaskUs = us
    }
  }
  const totals = new Map<string, { us: number; count: number }>()
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== main || e.ph !== 'X' || e.name === 'RunTask') {
      continue
    }
    first = Math.min(first, e.ts)
    last = Math.max(last, e.ts + (e.dur ?? 0))
    const total = totals.get(e.name) ?? { us: 0, count: 0 }
    total.us += e.dur ?? 0
    total.count++
    totals.set(e.name, total)
  }
  return {
    file,
    wallMs: Number.isFinite(first) ? (last - first) / 1000 : 0,
    taskMs: Math.max(0, mainTaskUs) / 1000,
    events: [...totals.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, t]) => ({ name, ms: t.us / 1000, count: t.count })),
  }
}
