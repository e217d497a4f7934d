/**
 * Document load time: a document built from the automerge-paper editing trace, stored in a room of
 * our relay, loaded into a fresh client after the room was unloaded — once from its update log and
 * once from the snapshot the relay's compaction made of that log.
 *
 * The trace is replayed into the Y.Text `text` (not the editor's Y.XmlFragment `body`): the trace is
 * plain text, and mapping its positions onto paragraphs would measure the mapping more than the relay.
 * The client runs in this thread next to the in-process relay; a load is one request and its answer,
 * so nothing runs concurrently that the two could contend for.
 */
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { docRoom } from '../shared/protocol/rooms'
import { adminClient, startTestRelay } from '../tests/utils/relay'
import type { TestRelay } from '../tests/utils/relay'
import { connect, waitFor } from '../tests/utils/yclient'
import { TRACE_TEXT, loadTrace, replayTrace, traceFile } from './lib/trace'
import { median } from './lib/stats'
import { bytes, count, markdownTable, ms, print, progress } from './lib/report'

/** Options of the trace-load benchmark. */
export interface TraceLoadOptions {
  /** Trace file name in ../shared/data/traces, without `.json.gz`. */
  readonly trace: string
  /**
   * Rows of the stored log. The relay merges each 5 ms burst into one row and compacts a room once
   * 500 rows follow its snapshot, so 499 rows is the longest log a room normally has to replay.
   */
  readonly logRows: number
  /** Measured loads per case (after one unmeasured warm-up load of each). */
  readonly runs: number
}

/** The automerge-paper trace as a 499-row log, 7 loads per case. */
export const DEFAULT_TRACE_LOAD: TraceLoadOptions = {
  trace: 'automerge-paper',
  logRows: 499,
  runs: 7,
}

/** Times of one storage shape, in ms. */
export interface LoadCase {
  /** Connect → synced with the full text, per measured run. */
  readonly loads: readonly number[]
  /** Reading the room from storage (RoomStore.load), measured separately. */
  readonly storageReadMs: number
  /** Applying what was read to an empty Y.Doc, as the relay does on load, measured separately. */
  readonly serverApplyMs: number
  /** Bytes stored for the room. */
  readonly storedBytes: number
  readonly storedRows: number
}

/** The benchmark's results. */
export interface TraceLoadReport {
  readonly options: TraceLoadOptions
  readonly patches: number
  readonly chars: number
  /** Size of the whole document as one update (Y.encodeStateAsUpdate). */
  readonly stateBytes: number
  readonly replayMs: number
  /** Applying the full state to a fresh client Y.Doc, measured separately. */
  readonly clientApplyMs: number
  readonly log: LoadCase
  readonly snapshot: LoadCase
}

const repoRoot = path.resolve(import.meta.dirname, '..')

/** Runs the trace-load benchmark on a fresh relay and returns its figures. */
export async function runTraceLoadBench(
  options: TraceLoadOptions = DEFAULT_TRACE_LOAD,
): Promise<TraceLoadReport> {
  progress(`trace load: replaying ${options.trace}`)
  const built = await buildDocument(options)
  const { endContent, updates, state } = built
  // Rooms unload 50 ms after their last socket leaves, so each load below starts from storage.
  const relay = await startTestRelay({ unloadDelayMs: 50 })
  try {
    const admin = await adminClient(relay)
    const token = admin.token ?? ''
    const logLoads: number[] = []
    const snapshotLoads: number[] = []
    let lastRoom = ''
    for (let run = 0; run <= options.runs; run++) {
      const room = docRoom(await admin.createDocument(`Trace ${options.trace} ${run}`))
      await relay.storage.rooms.appendUpdates(room, updates, Date.now())
      const logMs = await timeLoad(relay, room, token, endContent)
      // The relay compacts a room's log into a snapshot when the room unloads.
      await waitUntilIdle(relay, room)
      const snapshotMs = await timeLoad(relay, room, token, endContent)
      await waitUntilIdle(relay, room)
      // Run 0 warms up the JIT, SQLite's page cache and the socket path.
      if (run > 0) {
        logLoads.push(logMs)
        snapshotLoads.push(snapshotMs)
        progress(`trace load: run ${run}: log ${ms(logMs)}, snapshot ${ms(snapshotMs)}`)
      }
      lastRoom = room
    }
    const stored = await relay.storage.rooms.load(lastRoom)
    if (stored.snapshot === null || stored.updates.length > 0) {
      throw new Error('the relay did not compact the room into a snapshot on unload')
    }
    const snapshotBytes = stored.snapshot
    // A room no client opens keeps its log as written, for timing the log read on its own.
    const logRoom = docRoom('bench-log-read')
    await relay.storage.rooms.appendUpdates(logRoom, updates, Date.now())
    return {
      options,
      patches: built.patches,
      chars: endContent.length,
      stateBytes: state.length,
      replayMs: built.replayMs,
      clientApplyMs: medianOf(() => applyAll([state])),
      log: {
        loads: logLoads,
        storageReadMs: await storageReadMs(relay, logRoom),
        serverApplyMs: medianOf(() => applyAll(updates)),
        storedBytes: updates.reduce((total, update) => total + update.length, 0),
        storedRows: updates.length,
      },
      snapshot: {
        loads: snapshotLoads,
        storageReadMs: await storageReadMs(relay, lastRoom),
        serverApplyMs: medianOf(() => applyAll([snapshotBytes])),
        storedBytes: snapshotBytes.length,
        storedRows: 1,
      },
    }
  } finally {
    await relay.close()
  }
}

/**
 * Replays the trace. A function of its own so that the parsed trace (some 100 MB of small arrays)
 * is garbage before the loads are timed.
 */
async function buildDocument(options: TraceLoadOptions): Promise<{
  endContent: string
  updates: Uint8Array[]
  state: Uint8Array
  patches: number
  replayMs: number
}> {
  const trace = await loadTrace(traceFile(repoRoot, options.trace))
  const started = performance.now()
  const replayed = replayTrace(trace, options.logRows)
  const replayMs = performance.now() - started
  const state = Y.encodeStateAsUpdate(replayed.doc)
  replayed.doc.destroy()
  return {
    endContent: trace.endContent,
    updates: replayed.updates,
    state,
    patches: replayed.patches,
    replayMs,
  }
}

/** @returns ms from opening a fresh client on `room` to its first sync, after checking its text. */
async function timeLoad(
  relay: TestRelay,
  room: string,
  token: string,
  expected: string,
): Promise<number> {
  const started = performance.now()
  const client = connect(relay.wsUrl, room, token)
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${room} did not sync within 30 s`)), 30_000)
      client.provider.on('sync', (synced: boolean) => {
        if (synced) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const elapsed = performance.now() - started
    if (client.doc.getText(TRACE_TEXT).toString() !== expected) {
      throw new Error(`${room}: the loaded text differs from the trace's endContent`)
    }
    return elapsed
  } finally {
    client.destroy()
  }
}

/** Waits until the room has unloaded (and, for a logged room, has been compacted). */
async function waitUntilIdle(relay: TestRelay, room: string): Promise<void> {
  await waitFor(() => relay.relay.roomCount === 0, `${room} to unload`, 30_000)
  const deadline = Date.now() + 30_000
  while ((await relay.storage.rooms.countUpdates(room)) > 0) {
    if (Date.now() > deadline) {
      throw new Error(`${room} was not compacted`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Let the unload finish releasing the document before the next measurement starts.
  await new Promise((resolve) => setTimeout(resolve, 100))
}

/** @returns the median time (ms) of reading `room` from storage, as the relay does on load. */
async function storageReadMs(relay: TestRelay, room: string): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    await relay.storage.rooms.load(room)
    times.push(performance.now() - started)
  }
  return median(times)
}

function applyAll(updates: readonly Uint8Array[]): void {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const update of updates) {
      Y.applyUpdate(doc, update)
    }
  })
  doc.destroy()
}

function medianOf(work: () => void): number {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    work()
    times.push(performance.now() - started)
  }
  return median(times)
}

/** Prints the trace-load table (Markdown). */
export function printTraceLoad(report: TraceLoadReport): void {
  const { options, log, snapshot } = report
  print(
    `\n## Document load: ${options.trace} trace (${count(report.patches)} patches, ${count(report.chars)} characters, ` +
      `Y.Text '${TRACE_TEXT}'), median of ${options.runs} loads\n`,
  )
  const row = (name: string, c: LoadCase): string[] => [
    name,
    ms(median(c.loads)),
    `${ms(Math.min(...c.loads))} – ${ms(Math.max(...c.loads))}`,
    `${count(c.storedRows)} / ${bytes(c.storedBytes)}`,
    ms(c.storageReadMs),
    ms(c.serverApplyMs),
  ]
  print(
    markdownTable(
      [
        'stored as',
        'load (median)',
        'range',
        'rows / bytes stored',
        'storage read',
        'server apply',
      ],
      [
        row(`update log (${log.storedRows} rows, no snapshot)`, log),
        row('snapshot (after the relay compacted the log)', snapshot),
      ],
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  )
  print()
  print(
    `Load: from opening a fresh WebsocketProvider (our relay, admin session) to its first sync with the full text ` +
      `(checked against endContent); the room is unloaded before every load. Whole document as one update: ` +
      `${bytes(report.stateBytes)}; replaying the trace took ${ms(report.replayMs)}. Measured separately: ` +
      `storage read (RoomStore.load), server apply (into an empty Y.Doc), client apply of the full state ` +
      `${ms(report.clientApplyMs)}.`,
  )
  print('Trace: editing-traces by Joseph Gentle, CC BY 4.0.')
}
