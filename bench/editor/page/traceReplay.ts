/**
 * Replays a sequential editing trace in the page, either through the editor binding (each patch one
 * ProseMirror transaction, which y-prosemirror writes into the Y.XmlFragment `body`) or straight
 * into a Y.Text (each patch one Y transaction), so both run in the same page and JIT.
 *
 * Mapping of the plain-text trace onto the editor: the text is split on '\n' into paragraphs, one
 * per line. A trace offset o in line i (which starts at offset s_i) is the ProseMirror position
 * 1 + o + i: every line before it adds its characters and 2 tokens (paragraph open and close) for
 * its 1 '\n'. An inserted '\n' splits the paragraph there (tr.split); a deletion that spans a '\n'
 * joins the two paragraphs (tr.delete across the boundary, as selecting and deleting does).
 */
import { Editor } from '@tiptap/vue-3'
import Collaboration from '@tiptap/extension-collaboration'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../../renderer/src/collab/CollabSession'
import { gongwenSchemaExtensions } from '../../../renderer/src/features/documents/gongwen/pageview/schemaExtensions'
import type { TraceReplayRequest, TraceReplayResult } from '../protocol'
import type { Shell } from './shell'
import { editorText } from './openDocument'
import { yieldToBrowser } from './frames'

/** A trace flattened into parallel arrays. */
interface FlatTrace {
  readonly positions: Int32Array
  readonly deletes: Int32Array
  readonly inserts: readonly string[]
  readonly endContent: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Fetches and flattens a gzipped sequential trace. @throws Error when it is not one */
async function loadTrace(url: string): Promise<FlatTrace> {
  const response = await fetch(url)
  if (!response.ok || response.body === null) {
    throw new Error(`trace: HTTP ${response.status}`)
  }
  const json = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text()
  const parsed: unknown = JSON.parse(json)
  if (
    !isRecord(parsed) ||
    parsed.startContent !== '' ||
    typeof parsed.endContent !== 'string' ||
    !Array.isArray(parsed.txns)
  ) {
    throw new Error('trace: not a sequential trace starting from empty content')
  }
  const positions: number[] = []
  const deletes: number[] = []
  const inserts: string[] = []
  for (const txn of parsed.txns) {
    const patches: unknown = isRecord(txn) ? txn.patches : null
    if (!Array.isArray(patches)) {
      throw new Error('trace: a transaction without patches')
    }
    for (const patch of patches) {
      if (
        !Array.isArray(patch) ||
        typeof patch[0] !== 'number' ||
        typeof patch[1] !== 'number' ||
        typeof patch[2] !== 'string'
      ) {
        throw new Error('trace: a malformed patch')
      }
      positions.push(patch[0])
      deletes.push(patch[1])
      inserts.push(patch[2])
    }
  }
  return {
    positions: Int32Array.from(positions),
    deletes: Int32Array.from(deletes),
    inserts,
    endContent: parsed.endContent,
  }
}

/** Where a line (paragraph) starts: child index, trace offset and ProseMirror position. */
interface LineCursor {
  index: number
  offset: number
  pos: number
}

/**
 * Moves `cursor` to the line holding trace offset `o` (walking from where it is: edits are local,
 * so this is a few steps) and returns the ProseMirror position of `o`.
 */
function locate(doc: ProseMirrorNode, cursor: LineCursor, o: number): number {
  while (o < cursor.offset) {
    cursor.index--
    const size = doc.child(cursor.index).content.size
    cursor.offset -= size + 1
    cursor.pos -= size + 2
  }
  for (;;) {
    const size = doc.child(cursor.index).content.size
    if (o <= cursor.offset + size) {
      return cursor.pos + 1 + (o - cursor.offset)
    }
    cursor.offset += size + 1
    cursor.pos += size + 2
    cursor.index++
  }
}

/** Replays the trace through a fresh editor bound to a fresh Y.Doc, shown in the page view. */
async function replayThroughEditor(
  shell: Shell,
  trace: FlatTrace,
  yieldEvery: number,
  mounted: boolean,
): Promise<TraceReplayResult> {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment(BODY_FIELD)
  // A new body starts with one empty paragraph (CollabSession.initializeBody does the same).
  body.insert(0, [new Y.XmlElement('paragraph')])
  const editor = new Editor({
    extensions: [
      ...gongwenSchemaExtensions(),
      Collaboration.configure({ document: doc, field: BODY_FIELD }),
    ],
  })
  if (mounted) {
    shell.editor.value = editor
  }
  await yieldToBrowser()
  const view = editor.view
  const perPatch = new Float64Array(trace.inserts.length)
  // Only ever moved by the lookup of a patch's start: the edit happens at or after that line's
  // start, so the cursor stays valid through the edit.
  const cursor: LineCursor = { index: 0, offset: 0, pos: 0 }
  let busy = 0
  const wallStart = performance.now()
  for (let i = 0; i < trace.inserts.length; i++) {
    const o = trace.positions[i] ?? 0
    const deleteCount = trace.deletes[i] ?? 0
    const insert = trace.inserts[i] ?? ''
    const started = performance.now()
    const tr = view.state.tr
    const from = locate(tr.doc, cursor, o)
    if (deleteCount > 0) {
      const to = locate(tr.doc, { ...cursor }, o + deleteCount)
      tr.delete(from, to)
    }
    let at = from
    for (const [n, line] of insert.split('\n').entries()) {
      if (n > 0) {
        tr.split(at)
        at += 2
      }
      if (line !== '') {
        tr.insertText(line, at)
        at += line.length
      }
    }
    view.dispatch(tr)
    const elapsed = performance.now() - started
    perPatch[i] = elapsed
    busy += elapsed
    if ((i + 1) % yieldEvery === 0) {
      await yieldToBrowser()
    }
    if ((i + 1) % 50_000 === 0) {
      console.info(
        `trace editor (mounted: ${mounted}): ${i + 1} patches, ${Math.round(busy)} ms busy`,
      )
    }
  }
  await yieldToBrowser()
  const wallMs = performance.now() - wallStart
  const bodyText = body
    .toArray()
    .map((element) =>
      element instanceof Y.XmlElement
        ? element
            .toArray()
            .map((child) => (child instanceof Y.XmlText ? child.toString() : ''))
            .join('')
        : '',
    )
    .join('\n')
  const text = editorText(editor)
  const result: TraceReplayResult = {
    target: 'editor',
    mounted,
    patches: trace.inserts.length,
    busyMs: busy,
    wallMs,
    perPatch: Array.from(perPatch),
    textMatches: text === trace.endContent && bodyText === trace.endContent,
    finalChars: text.length,
    blocks: editor.state.doc.childCount,
    stateBytes: Y.encodeStateAsUpdate(doc).length,
  }
  shell.editor.value = null
  editor.destroy()
  doc.destroy()
  return result
}

/** Replays the trace into the Y.Text `text` of a fresh Y.Doc, one transaction per patch. */
async function replayIntoYText(trace: FlatTrace, yieldEvery: number): Promise<TraceReplayResult> {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  const perPatch = new Float64Array(trace.inserts.length)
  let busy = 0
  const wallStart = performance.now()
  for (let i = 0; i < trace.inserts.length; i++) {
    const o = trace.positions[i] ?? 0
    const deleteCount = trace.deletes[i] ?? 0
    const insert = trace.inserts[i] ?? ''
    const started = performance.now()
    doc.transact(() => {
      if (deleteCount > 0) {
        text.delete(o, deleteCount)
      }
      if (insert !== '') {
        text.insert(o, insert)
      }
    })
    const elapsed = performance.now() - started
    perPatch[i] = elapsed
    busy += elapsed
    if ((i + 1) % yieldEvery === 0) {
      await yieldToBrowser()
    }
  }
  await yieldToBrowser()
  const wallMs = performance.now() - wallStart
  const final = text.toString()
  const result: TraceReplayResult = {
    target: 'ytext',
    mounted: false,
    patches: trace.inserts.length,
    busyMs: busy,
    wallMs,
    perPatch: Array.from(perPatch),
    textMatches: final === trace.endContent,
    finalChars: final.length,
    blocks: 0,
    stateBytes: Y.encodeStateAsUpdate(doc).length,
  }
  doc.destroy()
  return result
}

/** Runs one replay. */
export async function replayTrace(
  shell: Shell,
  request: TraceReplayRequest,
): Promise<TraceReplayResult> {
  const full = await loadTrace(request.traceUrl)
  const limit = request.limit ?? full.inserts.length
  const trace: FlatTrace =
    limit >= full.inserts.length
      ? full
      : {
          positions: full.positions.subarray(0, limit),
          deletes: full.deletes.subarray(0, limit),
          inserts: full.inserts.slice(0, limit),
          // A prefix ends somewhere else: the check below then fails, as it should.
          endContent: full.endContent,
        }
  await yieldToBrowser()
  return request.target === 'editor'
    ? replayThroughEditor(shell, trace, request.yieldEvery, request.mounted)
    : replayIntoYText(trace, request.yieldEvery)
}
