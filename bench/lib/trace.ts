/**
 * Sequential editing traces (Joseph Gentle's `editing-traces`, CC BY 4.0): loading, checking and
 * replaying them into a Y.Text.
 *
 * @example
 *   const trace = await loadTrace(traceFile(repoRoot, 'automerge-paper'))
 *   const { doc, updates } = replayTrace(trace, 499)
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'

/** One patch: at `position`, delete `deleteCount` characters, then insert `insert`. */
export type Patch = readonly [position: number, deleteCount: number, insert: string]

/** A sequential trace: applying every patch in order to startContent gives endContent. */
export interface SequentialTrace {
  readonly startContent: string
  readonly endContent: string
  readonly txns: readonly { readonly patches: readonly Patch[] }[]
}

/** A trace replayed into a Y.Doc. */
export interface ReplayedTrace {
  readonly doc: Y.Doc
  /** The Y.Text the trace was typed into (`doc.getText(TRACE_TEXT)`). */
  readonly text: Y.Text
  /** One update per chunk of transactions, in order: the document's history as an update log. */
  readonly updates: Uint8Array[]
  /** Number of patches applied. */
  readonly patches: number
}

/** Name of the Y.Text the trace is replayed into. */
export const TRACE_TEXT = 'text'

/**
 * Client id of the replaying Y.Doc. Ids are random uint32s and every item's origins repeat its
 * writer's id as a varint, so a random id would change the byte counts from run to run (by ~7 %).
 * Like most random ids (94 %), this one takes 5 bytes.
 */
export const TRACE_CLIENT_ID = 2_654_435_761

/** @returns the path of a trace in the shared data folder next to the repository. */
export function traceFile(repoRoot: string, name: string): string {
  return path.resolve(repoRoot, `../shared/data/traces/${name}.json.gz`)
}

function isPatch(value: unknown): value is Patch {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    Number.isInteger(value[0]) &&
    Number.isInteger(value[1]) &&
    typeof value[2] === 'string'
  )
}

function isTxn(value: unknown): value is SequentialTrace['txns'][number] {
  return (
    typeof value === 'object' &&
    value !== null &&
    'patches' in value &&
    Array.isArray(value.patches) &&
    value.patches.every(isPatch)
  )
}

function isSequentialTrace(value: unknown): value is SequentialTrace {
  return (
    typeof value === 'object' &&
    value !== null &&
    'startContent' in value &&
    typeof value.startContent === 'string' &&
    'endContent' in value &&
    typeof value.endContent === 'string' &&
    'txns' in value &&
    Array.isArray(value.txns) &&
    value.txns.every(isTxn)
  )
}

/**
 * Reads a gzipped sequential trace.
 * @throws Error when the file is not a sequential trace
 */
export async function loadTrace(file: string): Promise<SequentialTrace> {
  const parsed: unknown = JSON.parse(gunzipSync(await fs.readFile(file)).toString('utf8'))
  if (!isSequentialTrace(parsed)) {
    throw new Error(`${file} is not a sequential editing trace`)
  }
  return parsed
}

/**
 * Replays a trace into the Y.Text `text` of a fresh Y.Doc, `chunks` transactions' worth at a time
 * (each chunk becomes one update of the log, as the relay merges a burst of updates into one row).
 * @throws Error when the replayed text differs from the trace's endContent
 */
export function replayTrace(trace: SequentialTrace, chunks: number): ReplayedTrace {
  const doc = new Y.Doc()
  doc.clientID = TRACE_CLIENT_ID
  const text = doc.getText(TRACE_TEXT)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  if (trace.startContent !== '') {
    text.insert(0, trace.startContent)
  }
  const perChunk = Math.ceil(trace.txns.length / chunks)
  let patches = 0
  for (let start = 0; start < trace.txns.length; start += perChunk) {
    doc.transact(() => {
      for (const txn of trace.txns.slice(start, start + perChunk)) {
        for (const [position, deleteCount, insert] of txn.patches) {
          if (deleteCount > 0) {
            text.delete(position, deleteCount)
          }
          if (insert !== '') {
            text.insert(position, insert)
          }
          patches++
        }
      }
    })
  }
  if (text.toString() !== trace.endContent) {
    throw new Error('replaying the trace did not give its endContent')
  }
  return { doc, text, updates, patches }
}
