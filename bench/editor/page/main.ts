/**
 * The editor benchmark's page: the renderer's real page view and editor code, driven from
 * bench/editor.ts through `window.qiluEditorBench` (see ../protocol.ts).
 */
import type { EditorBenchApi } from '../protocol'
import { mountShell } from './shell'
import { closeDocument, openDocument } from './openDocument'
import type { OpenDocument } from './openDocument'
import { replayTrace } from './traceReplay'
import { blockLength, startFloorProbe, startPageFloorProbe, startTypingProbe } from './typingProbe'
import type { TypingProbe } from './typingProbe'

const shell = mountShell()
let current: OpenDocument | null = null
let probe: TypingProbe | null = null

function openEditor(): OpenDocument {
  if (current === null) {
    throw new Error('no document is open')
  }
  return current
}

const api: EditorBenchApi = {
  async open(request) {
    if (current !== null) {
      throw new Error('a document is already open')
    }
    const { open, timing } = await openDocument(shell, request)
    current = open
    return timing
  },
  async close() {
    probe?.stop()
    probe = null
    if (current !== null) {
      closeDocument(shell, current)
      current = null
    }
    // Let y-indexeddb finish writing the local copy.
    await new Promise((resolve) => setTimeout(resolve, 300))
  },
  replay(request) {
    return replayTrace(shell, request)
  },
  async startTyping(setup) {
    probe?.stop()
    probe = startTypingProbe(openEditor().editor, setup)
  },
  async startFloorTyping(setup) {
    probe?.stop()
    probe = setup === null ? startFloorProbe() : startPageFloorProbe(setup)
  },
  async drainTyping() {
    if (probe === null) {
      throw new Error('the typing probe is not running')
    }
    return probe.drain()
  },
  blockLength(block) {
    return blockLength(openEditor().editor, block)
  },
}
window.qiluEditorBench = api
