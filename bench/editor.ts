/**
 * The 公文 editor in real Chromium (playwright-core, /usr/bin/chromium), on the renderer's own code:
 * a Vite-built page (bench/editor/page) mounts GongwenPage with the editor of createBodyEditor on a
 * CollabSession, served by a real test relay as its web root. Three measurements:
 *
 * 1. opening a 30,000-character document with its history (snapshot + 300 logged rows) until the
 *    editor is editable with all text in the DOM and painted, with and without a local copy;
 * 2. replaying the automerge-paper trace through the editor binding, next to a plain Y.Text;
 * 3. typing latency (keydown → the frame holding the character) while 5 remote editors type,
 *    and with none, in alternating rounds.
 *
 * `QILU_BENCH_PROFILE=1` also records Chromium CPU profiles (bench/.tmp/*.cpuprofile);
 * `QILU_BENCH_MOUNTED_TRACE=1` adds the trace replay through the editor shown in the page view
 * (every transaction then also lays the page out: about 30 minutes on the 2-core machine).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { docRoom } from '../shared/protocol/rooms'
import { launchBrowser, newUser } from '../tests/utils/browser'
import { startTestRelay } from '../tests/utils/relay'
import type { TestRelay } from '../tests/utils/relay'
import { waitFor } from '../tests/utils/yclient'
import { traceFile } from './lib/trace'
import { progress } from './lib/report'
import { buildHistory } from './editor/history'
import type { BuiltHistory } from './editor/history'
import { buildEditorPage } from './editor/buildPage'
import { createAccounts, storeDocument } from './editor/provision'
import type { Accounts } from './editor/provision'
import { RemoteTypists } from './editor/remoteTypists'
import { profilePage } from './editor/cpuProfile'
import type { ProfileSummary } from './editor/cpuProfile'
import { tracePage } from './editor/timeline'
import type { TimelineSummary } from './editor/timeline'
import type {
  KeystrokeSample,
  LongFrame,
  OpenRequest,
  OpenTiming,
  TraceReplayResult,
} from './editor/protocol'

/** Options of the editor benchmark. */
export interface EditorBenchOptions {
  /** Measured opens per case (after one warm-up of each). */
  readonly openRuns: number
  /** The trace replays, in order (each in a freshly loaded page). */
  readonly traceOrder: readonly TraceRun[]
  readonly remoteEditors: number
  /** Each remote editor inserts a character every this many ms (± 30 %). */
  readonly remoteIntervalMs: number
  /** Alternating typing rounds per condition, and keystrokes per round. */
  readonly typingRounds: number
  readonly keysPerRound: number
  /** Mean pause between the local user's keystrokes (ms, ± 30 %). */
  readonly keyIntervalMs: number
  readonly profile: boolean
  /** Record a Chromium timeline (style, layout, paint) of the last typing round with remotes. */
  readonly timeline: boolean
  /** Which measurements run (all by default). */
  readonly parts: readonly EditorBenchPart[]
  /**
   * Chromium slows each page's main thread down by this factor (CDP CPU throttling; 1: none): a
   * fast machine's stand-in for a slower one. The relay and the driver run at full speed.
   */
  readonly cpuSlowdown: number
}

/** The three measurements. */
export type EditorBenchPart = 'open' | 'trace' | 'typing'

const PARTS: readonly EditorBenchPart[] = ['open', 'trace', 'typing']

function isPart(name: string): name is EditorBenchPart {
  return (PARTS as readonly string[]).includes(name)
}

/** @returns a positive integer from the environment, or the fallback when unset */
function positiveFromEnvironment(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name}: expected a positive integer, got ${raw}`)
  }
  return value
}

/** @returns the parts named in QILU_BENCH_EDITOR_PARTS (comma-separated), or all of them */
function partsFromEnvironment(): readonly EditorBenchPart[] {
  const named = (process.env.QILU_BENCH_EDITOR_PARTS ?? '').split(',').map((p) => p.trim())
  const unknown = named.filter((p) => p !== '' && !isPart(p))
  if (unknown.length > 0) {
    throw new Error(
      `QILU_BENCH_EDITOR_PARTS: unknown ${unknown.join(', ')}; known: ${PARTS.join(', ')}`,
    )
  }
  const parts = named.filter(isPart)
  return parts.length > 0 ? parts : PARTS
}

/** A trace replay: into a Y.Text, or through the editor shown in the page view or not mounted. */
export type TraceRun = 'ytext' | 'editor' | 'editor-unmounted'

/** The defaults: 9 opens per case, each trace replay once, 6 × 60 keystrokes per condition. */
export const DEFAULT_EDITOR_BENCH: EditorBenchOptions = {
  openRuns: positiveFromEnvironment('QILU_BENCH_OPEN_RUNS', 9),
  // The mounted editor needs ~30 min for the whole trace on this machine: opt in.
  traceOrder:
    process.env.QILU_BENCH_MOUNTED_TRACE === '1'
      ? ['ytext', 'editor-unmounted', 'editor', 'ytext']
      : ['ytext', 'editor-unmounted', 'ytext'],
  remoteEditors: 5,
  remoteIntervalMs: 100,
  typingRounds: positiveFromEnvironment('QILU_BENCH_TYPING_ROUNDS', 6),
  keysPerRound: 60,
  keyIntervalMs: 120,
  profile: process.env.QILU_BENCH_PROFILE === '1',
  timeline: process.env.QILU_BENCH_TIMELINE === '1',
  parts: partsFromEnvironment(),
  cpuSlowdown: positiveFromEnvironment('QILU_BENCH_CPU_SLOWDOWN', 1),
}

/** One measured open, with the machine's 1-minute load average at its start. */
export interface OpenRun extends OpenTiming {
  readonly load: number
}

/** Keystrokes of one typing condition. */
export interface TypingCondition {
  readonly samples: readonly KeystrokeSample[]
  readonly lost: number
  readonly remoteTransactions: number
  readonly seconds: number
  readonly longFrames: readonly LongFrame[]
  readonly loads: readonly number[]
}

/** The benchmark's results. */
export interface EditorBenchReport {
  readonly options: EditorBenchOptions
  readonly history: Omit<BuiltHistory, 'updates' | 'text'> & { readonly updates: number }
  readonly open: { readonly cold: readonly OpenRun[]; readonly warm: readonly OpenRun[] }
  readonly trace: readonly (TraceReplayResult & {
    readonly kind: TraceRun
    readonly load: number
  })[]
  /** Null when the typing part did not run. */
  readonly typing: {
    readonly floor: TypingCondition
    readonly page: TypingCondition
    readonly quiet: TypingCondition
    readonly remote: TypingCondition
  } | null
  /** The remote editors' copy of the typed block equalled the page's at the end. */
  readonly typingConverged: boolean
  readonly profiles: readonly { readonly what: string; readonly summary: ProfileSummary }[]
  readonly timelines: readonly { readonly what: string; readonly summary: TimelineSummary }[]
  readonly chromium: string
}

const TRACE_URL = '/bench-trace/automerge-paper.json.gz'
const repoRoot = path.resolve(import.meta.dirname, '..')
const tmp = path.join(repoRoot, 'bench', '.tmp')

const load1 = (): number => os.loadavg()[0] ?? Number.NaN
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs the editor benchmark and returns its figures. */
export async function runEditorBench(
  options: EditorBenchOptions = DEFAULT_EDITOR_BENCH,
): Promise<EditorBenchReport> {
  progress('editor: building the 30,000-character history and the page')
  const history = buildHistory()
  const webRoot = await buildEditorPage()
  const relay = await startTestRelay({ webRoot, unloadDelayMs: 50 })
  const browser = await launchBrowser()
  const profiles: { what: string; summary: ProfileSummary }[] = []
  const timelines: { what: string; summary: TimelineSummary }[] = []
  try {
    const accounts = await createAccounts(relay, options.remoteEditors)
    const has = (part: EditorBenchPart): boolean => options.parts.includes(part)
    const open = has('open')
      ? await measureOpen(relay, browser, accounts, history, options, profiles, timelines)
      : { cold: [], warm: [] }
    const trace = has('trace') ? await measureTrace(relay, browser, options, profiles) : []
    const typing = has('typing')
      ? await measureTyping(relay, browser, accounts, history, options, profiles, timelines)
      : null
    const { updates, text: _text, ...facts } = history
    return {
      options,
      history: { ...facts, updates: updates.length },
      open,
      trace,
      typing: typing?.conditions ?? null,
      typingConverged: typing?.converged ?? false,
      profiles,
      timelines,
      chromium: browser.version(),
    }
  } finally {
    await browser.close()
    await relay.close()
  }
}

async function openPage(
  relay: TestRelay,
  browser: Browser,
  cpuSlowdown: number,
  isolated = false,
): Promise<{ page: Page; close(): Promise<void> }> {
  const { context, page } = await newUser(browser)
  if (cpuSlowdown > 1) {
    // The rate holds for the page's target across its reloads.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown })
  }
  page.on('console', (message) => progress(`editor page: ${message.text()}`))
  page.on('pageerror', (error) => progress(`editor page error: ${error.message}`))
  await page.route(`**${TRACE_URL}`, async (route) =>
    route.fulfill({
      body: await fs.readFile(traceFile(repoRoot, 'automerge-paper')),
      contentType: 'application/octet-stream',
    }),
  )
  // Cross-origin isolation gives the page's performance.now() 5 µs instead of 100 µs resolution,
  // which the per-patch times need (a Y.Text patch takes a few µs). Only for the trace page: an
  // isolated page's WebSocket to 127.0.0.1 is refused by Chromium's local network access checks.
  if (!isolated) {
    await loadPage(page, relay)
    return { page, close: () => context.close() }
  }
  await page.route(`${relay.url}/`, async (route) => {
    const response = await route.fetch()
    await route.fulfill({
      response,
      headers: {
        ...response.headers(),
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      },
    })
  })
  await loadPage(page, relay)
  if (!(await page.evaluate(() => crossOriginIsolated))) {
    throw new Error('the benchmark page is not cross-origin isolated (coarse timers)')
  }
  return { page, close: () => context.close() }
}

async function loadPage(page: Page, relay: TestRelay): Promise<void> {
  await page.goto(`${relay.url}/`)
  await page.waitForFunction(() => window.qiluEditorBench !== undefined)
}

function openRequest(
  relay: TestRelay,
  accounts: Accounts,
  history: BuiltHistory,
  id: string,
): OpenRequest {
  return {
    serverUrl: relay.wsUrl,
    documentId: id,
    userId: accounts.local.userId,
    userName: accounts.local.name,
    token: accounts.local.token,
    expectedText: history.text,
    expectedChars: history.chars,
  }
}

async function openIn(page: Page, request: OpenRequest): Promise<OpenTiming> {
  const timing = await page.evaluate((r) => {
    const api = window.qiluEditorBench
    if (api === undefined) {
      throw new Error('the page is not loaded')
    }
    return api.open(r)
  }, request)
  if (!timing.textMatches) {
    throw new Error(`${request.documentId}: the editor's text differs from the stored body`)
  }
  return timing
}

async function closeIn(page: Page): Promise<void> {
  await page.evaluate(() => window.qiluEditorBench?.close())
}

/** Waits until the relay has unloaded every room, so the next open reads from storage. */
async function roomsUnloaded(relay: TestRelay): Promise<void> {
  await waitFor(() => relay.relay.roomCount === 0, 'rooms to unload', 30_000)
  await sleep(150)
}

async function measureOpen(
  relay: TestRelay,
  browser: Browser,
  accounts: Accounts,
  history: BuiltHistory,
  options: EditorBenchOptions,
  profiles: { what: string; summary: ProfileSummary }[],
  timelines: { what: string; summary: TimelineSummary }[],
): Promise<{ cold: OpenRun[]; warm: OpenRun[] }> {
  const cold: OpenRun[] = []
  const warm: OpenRun[] = []
  for (let run = 0; run <= options.openRuns; run++) {
    // No local copy: a fresh browser profile opens a document the relay holds in storage.
    const coldId = await storeDocument(relay, accounts, history, `开文档基准 冷 ${run}`)
    const first = await openPage(relay, browser, options.cpuSlowdown)
    await roomsUnloaded(relay)
    const load = load1()
    const request = openRequest(relay, accounts, history, coldId)
    const last = run === options.openRuns
    let timing: OpenTiming
    if (options.profile && last) {
      timing = await profiled(first.page, 'open-cold', profiles, () => openIn(first.page, request))
    } else if (options.timeline && last) {
      let traced: OpenTiming | null = null
      const summary = await tracePage(
        browser,
        first.page,
        path.join(tmp, 'editor-open-cold.trace.json'),
        async () => {
          traced = await openIn(first.page, request)
        },
      )
      timelines.push({ what: 'open-cold', summary })
      if (traced === null) {
        throw new Error('open-cold: no result')
      }
      timing = traced
    } else {
      timing = await openIn(first.page, request)
    }
    await closeIn(first.page)
    // With a local copy: the same profile opens the same document again after a reload.
    await loadPage(first.page, relay)
    await roomsUnloaded(relay)
    const warmLoad = load1()
    const again = await openIn(first.page, request)
    await closeIn(first.page)
    await first.close()
    if (run > 0) {
      cold.push({ ...timing, load })
      warm.push({ ...again, load: warmLoad })
    }
    progress(
      `editor: open ${run === 0 ? 'warm-up' : `run ${run}`}: no local copy ${timing.paintedMs.toFixed(1)} ms, ` +
        `local copy ${again.paintedMs.toFixed(1)} ms (load ${load.toFixed(2)})`,
    )
  }
  await roomsUnloaded(relay)
  return { cold, warm }
}

async function profiled<T>(
  page: Page,
  what: string,
  profiles: { what: string; summary: ProfileSummary }[],
  work: () => Promise<T>,
): Promise<T> {
  let result: T | undefined
  const summary = await profilePage(page, path.join(tmp, `editor-${what}.cpuprofile`), async () => {
    result = await work()
  })
  profiles.push({ what, summary })
  if (result === undefined) {
    throw new Error(`${what}: no result`)
  }
  return result
}

async function measureTrace(
  relay: TestRelay,
  browser: Browser,
  options: EditorBenchOptions,
  profiles: { what: string; summary: ProfileSummary }[],
): Promise<(TraceReplayResult & { kind: TraceRun; load: number })[]> {
  const results: (TraceReplayResult & { kind: TraceRun; load: number })[] = []
  const { page, close } = await openPage(relay, browser, options.cpuSlowdown, true)
  try {
    for (const kind of options.traceOrder) {
      const target = kind === 'ytext' ? 'ytext' : 'editor'
      const mounted = kind === 'editor'
      await loadPage(page, relay)
      const load = load1()
      const replay = (): Promise<TraceReplayResult> =>
        page.evaluate(
          (request) => {
            const api = window.qiluEditorBench
            if (api === undefined) {
              throw new Error('the page is not loaded')
            }
            return api.replay(request)
          },
          { target, mounted, traceUrl: TRACE_URL, yieldEvery: 1000 } as const,
        )
      const result = await replay()
      if (!result.textMatches) {
        throw new Error(`trace replay (${target}) did not end with the trace's endContent`)
      }
      results.push({ ...result, kind, load })
      progress(
        `editor: trace ${kind}: ${result.busyMs.toFixed(0)} ms busy, ${result.wallMs.toFixed(0)} ms wall (load ${load.toFixed(2)})`,
      )
    }
    if (options.profile) {
      // The whole trace would make a profile of millions of samples: profile its first patches.
      await loadPage(page, relay)
      await profiled(page, 'trace-editor-first-20000', profiles, () =>
        page.evaluate((request) => window.qiluEditorBench?.replay(request), {
          target: 'editor',
          mounted: true,
          traceUrl: TRACE_URL,
          yieldEvery: 1000,
          limit: 20_000,
        } as const),
      )
    }
  } finally {
    await close()
  }
  return results
}

async function measureTyping(
  relay: TestRelay,
  browser: Browser,
  accounts: Accounts,
  history: BuiltHistory,
  options: EditorBenchOptions,
  profiles: { what: string; summary: ProfileSummary }[],
  timelines: { what: string; summary: TimelineSummary }[],
): Promise<{
  conditions: Record<TypingConditionName, TypingCondition>
  converged: boolean
}> {
  const id = await storeDocument(relay, accounts, history, '打字延迟基准')
  const { page, close } = await openPage(relay, browser, options.cpuSlowdown)
  // The local user revises a paragraph in the middle; the colleagues work on paragraphs around it
  // (two on screen next to it, the others further away).
  const middle = Math.floor(history.blocks / 2)
  const block = middle
  const remoteBlocks = [middle - 3, middle - 1, middle + 2, middle + 6, middle + 25]
  const typists = new RemoteTypists(
    relay.wsUrl,
    docRoom(id),
    accounts.remotes.map((account, i) => ({
      token: account.token,
      name: account.name,
      block: remoteBlocks[i % remoteBlocks.length] ?? middle + 1,
    })),
  )
  const empty = (): {
    samples: KeystrokeSample[]
    lost: number
    remoteTransactions: number
    seconds: number
    longFrames: LongFrame[]
    loads: number[]
  } => ({
    samples: [],
    lost: 0,
    remoteTransactions: 0,
    seconds: 0,
    longFrames: [],
    loads: [],
  })
  const conditions = { floor: empty(), page: empty(), quiet: empty(), remote: empty() }
  try {
    await openIn(page, openRequest(relay, accounts, history, id))
    await page.evaluate((b) => window.qiluEditorBench?.startTyping({ block: b }), block)
    await page.bringToFront()
    await typeKeys(page, 20, options.keyIntervalMs)
    await page.evaluate(() => window.qiluEditorBench?.drainTyping())
    for (let round = 0; round < options.typingRounds; round++) {
      // Each round measures the three conditions in a rotated order.
      const rotation: TypingConditionName[] = ['floor', 'page', 'quiet', 'remote']
      const shift = round % rotation.length
      const order = [...rotation.slice(shift), ...rotation.slice(0, shift)]
      for (const condition of order) {
        if (condition === 'remote') {
          await typists.connect()
          typists.start(options.remoteIntervalMs)
          await sleep(1000)
        }
        if (condition === 'floor' || condition === 'page') {
          const setup = condition === 'page' ? { block } : null
          await page.evaluate((s) => window.qiluEditorBench?.startFloorTyping(s), setup)
        }
        const load = load1()
        const started = performance.now()
        const type = (): Promise<void> =>
          typeKeys(page, options.keysPerRound, options.keyIntervalMs)
        const editing = condition === 'quiet' || condition === 'remote'
        if (options.profile && editing && round === options.typingRounds - 1) {
          await profiled(page, `typing-${condition}`, profiles, async () => {
            await type()
            return true
          })
        } else {
          await type()
        }
        const drained = await page.evaluate(() => window.qiluEditorBench?.drainTyping())
        if (drained === undefined) {
          throw new Error('the page is not loaded')
        }
        const target = conditions[condition]
        target.seconds += (performance.now() - started) / 1000
        target.samples.push(...drained.samples)
        target.lost += drained.lost
        target.remoteTransactions += drained.remoteTransactions
        target.longFrames.push(...drained.longFrames)
        target.loads.push(load)
        if (condition === 'remote') {
          typists.disconnect()
          await sleep(500)
        }
        if (!editing) {
          await page.evaluate((b) => window.qiluEditorBench?.startTyping({ block: b }), block)
        }
        progress(
          `editor: typing round ${round + 1} ${condition}: ${drained.samples.length} keys, ` +
            `p50 ${quantile(drained.samples, 0.5)} ms, p95 ${quantile(drained.samples, 0.95)} ms, ` +
            `${drained.remoteTransactions} remote changes (load ${load.toFixed(2)})`,
        )
      }
    }
    if (options.timeline) {
      // Extra rounds, not counted: tracing slows the page down.
      for (const condition of ['page', 'quiet', 'remote'] as const) {
        if (condition === 'remote') {
          await typists.connect()
          typists.start(options.remoteIntervalMs)
          await sleep(1000)
        }
        if (condition === 'page') {
          await page.evaluate((b) => window.qiluEditorBench?.startFloorTyping({ block: b }), block)
        }
        const what = `typing-${condition}`
        const summary = await tracePage(
          browser,
          page,
          path.join(tmp, `editor-${what}.trace.json`),
          () => typeKeys(page, options.keysPerRound, options.keyIntervalMs),
        )
        timelines.push({ what, summary })
        await page.evaluate(() => window.qiluEditorBench?.drainTyping())
        if (condition === 'page') {
          await page.evaluate((b) => window.qiluEditorBench?.startTyping({ block: b }), block)
        }
        typists.disconnect()
        await sleep(500)
      }
    }
    await typists.connect()
    const typed = await page.evaluate((b) => window.qiluEditorBench?.blockLength(b) ?? -1, block)
    // Give the last keystrokes time to reach the relay and the reconnected colleagues.
    await sleep(1000)
    const converged = typists.blockLength(block) === typed
    return { conditions, converged }
  } finally {
    typists.destroy()
    await close()
  }
}

/** Typing conditions: the two floors without the editor, then the editor alone and with remotes. */
type TypingConditionName = 'floor' | 'page' | 'quiet' | 'remote'

/** @returns a quantile of the samples' latencies, for progress lines */
function quantile(samples: readonly KeystrokeSample[], q: number): string {
  const sorted = samples.map((s) => s.latencyMs).sort((a, b) => a - b)
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN).toFixed(
    1,
  )
}

/** Presses `count` letter keys with human pauses in between. */
async function typeKeys(page: Page, count: number, intervalMs: number): Promise<void> {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(letters[i % letters.length] ?? 'a')
    await sleep(intervalMs * (0.7 + Math.random() * 0.6))
  }
}
