/**
 * What the editor benchmark's page (bench/editor/page) offers the Node side as
 * `window.qiluEditorBench`, and what it answers. Plain data only: it crosses playwright's
 * page.evaluate. Shared by both sides, so no DOM or Node imports here.
 */

/** Opening a stored document in the page's real editor (CollabSession + createBodyEditor). */
export interface OpenRequest {
  /** Relay WebSocket base URL (`…/sync`). */
  readonly serverUrl: string
  readonly documentId: string
  readonly userId: string
  readonly userName: string
  readonly token: string
  /** The body's text, blocks joined by '\n' (checked after the timing, not during it). */
  readonly expectedText: string
  /** Characters of the body without separators (what the DOM must show). */
  readonly expectedChars: number
}

/** Times of one open, in ms after `CollabSession.open` was called. */
export interface OpenTiming {
  /**
   * The session is ready for the editor: the local copy (IndexedDB) read, or found absent, and the
   * socket open (or 40 ms passed), as the view waits before creating the editor.
   */
  readonly localLoadedMs: number
  /** The editor was created (createBodyEditor) and handed to the page view. */
  readonly editorCreatedMs: number
  /** The WebSocket to the relay was open. */
  readonly connectedMs: number
  /** The provider's first sync with the relay. */
  readonly syncedMs: number
  /** Editable, synced, and every character of the body in the editor's DOM. */
  readonly readyMs: number
  /** The end of the first frame painted after `readyMs`. */
  readonly paintedMs: number
  /** Whether the editor's text equalled `expectedText` afterwards. */
  readonly textMatches: boolean
  /** Body blocks (paragraphs and headings) in the editor. */
  readonly blocks: number
  /** Whether the local copy held the document before connecting. */
  readonly hadLocalCopy: boolean
  /** Pages the page view showed after opening (off-screen paragraphs at their estimated height). */
  readonly pagesShown: number
  /** Pages once every paragraph was laid out (measured after the timing). */
  readonly pagesLaidOut: number
}

/** One patch list of a sequential trace, flattened for transfer into the page. */
export interface TraceReplayRequest {
  /** Which binding the patches go through. */
  readonly target: 'editor' | 'ytext'
  /**
   * Editor only: whether the editor is shown in the page view (true: every transaction also updates
   * the DOM, and Chromium lays it out) or left unmounted (the binding and ProseMirror alone).
   */
  readonly mounted: boolean
  /** URL (same origin) of the gzipped trace JSON. */
  readonly traceUrl: string
  /** Patches between two yields to the browser (a frame is painted at each yield). */
  readonly yieldEvery: number
  /** Replay only the first this many patches (for profiling a prefix; the text is then not checked). */
  readonly limit?: number
}

/** Result of one replay. */
export interface TraceReplayResult {
  readonly target: 'editor' | 'ytext'
  readonly mounted: boolean
  readonly patches: number
  /** Sum of the per-patch times (the dispatch, or the Y.Text calls). */
  readonly busyMs: number
  /** Wall time from the first patch to the last, frames painted at the yields included. */
  readonly wallMs: number
  /** Per-patch times (ms), each patch timed on its own. */
  readonly perPatch: readonly number[]
  /** Whether the final text equals the trace's endContent (for the editor: its PM doc and `body`). */
  readonly textMatches: boolean
  readonly finalChars: number
  /** Paragraphs at the end (editor only; the trace's lines). */
  readonly blocks: number
  /** Size of the final Y.Doc as one update (bytes). */
  readonly stateBytes: number
}

/** Setting up the typing probe in an open document. */
export interface TypingSetup {
  /** Index of the body block the local user types into (the caret goes to its end). */
  readonly block: number
}

/** One measured keystroke. */
export interface KeystrokeSample {
  /**
   * keydown → the first task after the frame whose DOM holds the character (ms): the frame is
   * laid out, painted and committed to the compositor.
   */
  readonly latencyMs: number
  /** keydown event timestamp → keydown handler ran (ms): time the key waited for the main thread. */
  readonly queuedMs: number
  /** The keydown event's timestamp (page clock, ms). */
  readonly timeStamp: number
  /**
   * Chromium's Event Timing duration of the keydown (to the next paint, 8 ms steps) when it was
   * 16 ms or more; null when it was shorter (not reported); NaN without Event Timing.
   */
  readonly eventTimingMs: number | null
}

/** What the typing probe collected since it was last drained. */
export interface TypingSamples {
  readonly samples: readonly KeystrokeSample[]
  /** Keystrokes whose character never showed up in the block. */
  readonly lost: number
  /** Remote changes applied to the editor meanwhile (y-prosemirror's remote transactions). */
  readonly remoteTransactions: number
  /** Longest animation frames (ms, from the long-animation-frame API) seen meanwhile, if any. */
  readonly longFrames: readonly LongFrame[]
}

/** A long animation frame with its time split (from PerformanceLongAnimationFrameTiming). */
export interface LongFrame {
  readonly durationMs: number
  readonly blockingMs: number
  /** Script time inside the frame (sum of its scripts' durations). */
  readonly scriptMs: number
  /** Rendering time (style, layout, paint) at the end of the frame. */
  readonly renderMs: number
  /** Style and layout part of renderMs. */
  readonly layoutMs: number
}

/** The page's API. */
export interface EditorBenchApi {
  open(request: OpenRequest): Promise<OpenTiming>
  /** Destroys the open editor and session. */
  close(): Promise<void>
  replay(request: TraceReplayRequest): Promise<TraceReplayResult>
  /** Puts the caret at the end of a block of the open document and starts recording keystrokes. */
  startTyping(setup: TypingSetup): Promise<void>
  /**
   * Records keystrokes typed without the editor, the measurement's floors: with null, into a
   * small plain contenteditable box over the page; with a setup, into that block of a plain
   * contenteditable copy of the whole page view shown in place of the editor's. startTyping
   * returns to the editor.
   */
  startFloorTyping(setup: TypingSetup | null): Promise<void>
  /** @returns the keystrokes recorded since the previous drain (waits for pending ones first). */
  drainTyping(): Promise<TypingSamples>
  /** Current text length of a block of the open document. */
  blockLength(block: number): number
}

declare global {
  interface Window {
    /** Set by the benchmark page once its code is loaded. */
    qiluEditorBench?: EditorBenchApi
  }
}
