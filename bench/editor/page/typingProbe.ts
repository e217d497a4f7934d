/**
 * Measures typing latency in the open editor: for every printable keydown, the time from the
 * event's timestamp (when the browser received the key) to the end of the first frame in which
 * the block being typed into holds the character. Each rAF checks the block's DOM text; a
 * user-blocking task posted from that rAF runs once the frame was produced (style, layout, paint
 * and the commit to the compositor done), ahead of ordinary tasks queued meanwhile, which run
 * after the frame and do not delay it. Chromium's Event Timing (keydown to next paint, 8 ms steps,
 * only for 16 ms or more) is recorded beside it. Two floors measure the method without the editor.
 */
import type { Editor } from '@tiptap/vue-3'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type { KeystrokeSample, LongFrame, TypingSamples, TypingSetup } from '../protocol'
import { afterFrameCommitted } from './frames'

interface Pending {
  readonly timeStamp: number
  readonly handled: number
  /** The block's text length once the character is in. */
  readonly length: number
}

/** The running probe. */
export interface TypingProbe {
  drain(): Promise<TypingSamples>
  stop(): void
}

function blockElement(editor: Editor, block: number): Element | null {
  return editor.view.dom.children.item(block)
}

/** @returns the text length of a block in the editor's DOM (-1 when there is no such block) */
export function blockLength(editor: Editor, block: number): number {
  return blockElement(editor, block)?.textContent?.length ?? -1
}

function longFrame(entry: PerformanceEntry): LongFrame | null {
  if (!('renderStart' in entry) || !('styleAndLayoutStart' in entry) || !('scripts' in entry)) {
    return null
  }
  const { renderStart, styleAndLayoutStart, scripts } = entry
  const blocking = 'blockingDuration' in entry ? Number(entry.blockingDuration) : 0
  const end = entry.startTime + entry.duration
  const render = Number(renderStart)
  const layout = Number(styleAndLayoutStart)
  let scriptMs = 0
  if (Array.isArray(scripts)) {
    for (const script of scripts) {
      if (typeof script === 'object' && script !== null && 'duration' in script) {
        scriptMs += Number(script.duration)
      }
    }
  }
  return {
    durationMs: entry.duration,
    blockingMs: blocking,
    scriptMs,
    renderMs: render > 0 ? end - render : 0,
    layoutMs: layout > 0 ? end - layout : 0,
  }
}

/** What the probe types into: the editor's block, or the plain box of the floor measurement. */
interface ProbeTarget {
  /** Text length of the element typed into. */
  length(): number
  /** The editor, whose remote transactions are counted (none for the plain box). */
  readonly editor: Editor | null
}

/** Puts the caret at the end of `setup.block`, focuses the editor and starts recording. */
export function startTypingProbe(editor: Editor, setup: TypingSetup): TypingProbe {
  const element = blockElement(editor, setup.block)
  if (element === null) {
    throw new Error(`no block ${setup.block}`)
  }
  let blockEnd = 0
  editor.state.doc.forEach((node, offset, index) => {
    if (index === setup.block) {
      blockEnd = offset + node.nodeSize - 1
    }
  })
  editor.commands.setTextSelection(blockEnd)
  // Synchronously (TipTap's focus command may wait a frame): the next key must reach the block,
  // or every later keystroke would be matched with the character after its own.
  editor.view.focus()
  if (!editor.view.hasFocus()) {
    throw new Error('the editor did not take the focus')
  }
  return startProbe({ length: () => blockLength(editor, setup.block), editor })
}

/**
 * The floor of the measurement: a plain contenteditable box (no editor, no Yjs) with the body's
 * font, size and spacing, laid over the page. Typing into it costs the browser's own input,
 * frame and paint path only, so its latency is what the method measures when the page does
 * nothing.
 */
export function startFloorProbe(): TypingProbe {
  let box = document.querySelector<HTMLElement>('[data-typing-floor]')
  if (box === null) {
    box = document.createElement('div')
    box.dataset.typingFloor = ''
    box.contentEditable = 'true'
    box.spellcheck = false
    Object.assign(box.style, {
      position: 'fixed',
      left: '20px',
      top: '20px',
      width: '156mm',
      minHeight: '2em',
      background: '#fff',
      border: '1px solid #999',
      fontFamily: 'var(--gw-fangsong)',
      fontSize: '16pt',
      letterSpacing: 'calc(156mm / 28 - 16pt)',
      zIndex: '10',
    })
    box.textContent = '基准'
    document.body.append(box)
  }
  const element = box
  return startPlainProbe(element, element, () => element.remove())
}

/**
 * The same page without the editor: a copy of the page view's DOM (sheet, grid, every paragraph of
 * the body) whose body is a plain contenteditable, shown in place of the real one. Typing into
 * block `block` of it measures what Chromium itself needs to insert a character into this
 * 30,000-character page and paint it, with no editor code running.
 */
export function startPageFloorProbe(setup: TypingSetup): TypingProbe {
  const sheet = document.querySelector<HTMLElement>('.gw-sheet')
  if (sheet === null) {
    throw new Error('no page view')
  }
  const copy = sheet.cloneNode(true)
  if (!(copy instanceof HTMLElement)) {
    throw new Error('the page view could not be copied')
  }
  const body = copy.querySelector<HTMLElement>('.ProseMirror')
  const element = body?.children.item(setup.block)
  if (body === null || element === null || element === undefined) {
    throw new Error(`no block ${setup.block} in the copy`)
  }
  body.contentEditable = 'true'
  const scrollY = window.scrollY
  sheet.style.display = 'none'
  sheet.after(copy)
  window.scrollTo(0, scrollY)
  return startPlainProbe(body, element, () => {
    copy.remove()
    sheet.style.display = ''
    window.scrollTo(0, scrollY)
  })
}

/**
 * Focuses a plain contenteditable, puts the caret at the end of `typedInto` and records keystrokes
 * typed there; `cleanUp` runs when the probe stops.
 */
function startPlainProbe(
  editable: HTMLElement,
  typedInto: Element,
  cleanUp: () => void,
): TypingProbe {
  editable.focus()
  const range = document.createRange()
  range.selectNodeContents(typedInto)
  range.collapse(false)
  const selection = window.getSelection()
  selection?.removeAllRanges()
  selection?.addRange(range)
  const probe = startProbe({ length: () => typedInto.textContent?.length ?? 0, editor: null })
  return {
    drain: () => probe.drain(),
    stop() {
      probe.stop()
      cleanUp()
    },
  }
}

function startProbe(target: ProbeTarget): TypingProbe {
  const { editor } = target

  let samples: Omit<KeystrokeSample, 'eventTimingMs'>[] = []
  let pending: Pending[] = []
  let typed = target.length()
  let remoteTransactions = 0
  let longFrames: LongFrame[] = []
  let watching = false

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) {
      return
    }
    typed++
    pending.push({ timeStamp: event.timeStamp, handled: performance.now(), length: typed })
    watch()
  }
  const watch = (): void => {
    if (watching) {
      return
    }
    watching = true
    requestAnimationFrame(onFrame)
  }
  const onFrame = (): void => {
    const length = target.length()
    const shown = pending.filter((p) => p.length <= length)
    pending = pending.filter((p) => p.length > length)
    if (shown.length > 0) {
      afterFrameCommitted(() => {
        const painted = performance.now()
        for (const p of shown) {
          samples.push({
            latencyMs: painted - p.timeStamp,
            queuedMs: p.handled - p.timeStamp,
            timeStamp: p.timeStamp,
          })
        }
      })
    }
    if (pending.length > 0) {
      requestAnimationFrame(onFrame)
    } else {
      watching = false
    }
  }
  const onTransaction = ({ transaction }: { transaction: { getMeta(key: unknown): unknown } }) => {
    const meta = transaction.getMeta(ySyncPluginKey)
    if (
      typeof meta === 'object' &&
      meta !== null &&
      'isChangeOrigin' in meta &&
      meta.isChangeOrigin === true
    ) {
      remoteTransactions++
    }
  }
  const observer =
    typeof PerformanceObserver !== 'undefined' &&
    PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
      ? new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            const frame = longFrame(entry)
            if (frame !== null) {
              longFrames.push(frame)
            }
          }
        })
      : null
  observer?.observe({ type: 'long-animation-frame', buffered: false })
  // Chromium's own Event Timing (the measure behind INP): keydown → next paint, in 8 ms steps,
  // reported only for events of 16 ms or more.
  let slowEvents = new Map<number, number>()
  const eventTiming = PerformanceObserver.supportedEntryTypes.includes('event')
    ? new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.name === 'keydown') {
            slowEvents.set(entry.startTime, entry.duration)
          }
        }
      })
    : null
  eventTiming?.observe({
    type: 'event',
    durationThreshold: 16,
    buffered: false,
  } as PerformanceObserverInit)
  window.addEventListener('keydown', onKeyDown, { capture: true })
  editor?.on('transaction', onTransaction)

  return {
    async drain() {
      const deadline = performance.now() + 5000
      while (pending.length > 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Let the last frame's message arrive.
      await new Promise((resolve) => setTimeout(resolve, 50))
      const lost = pending.length
      pending = []
      typed = target.length()
      // Event Timing entries arrive after the paint: give the last ones time.
      await new Promise((resolve) => setTimeout(resolve, 100))
      const timed = samples.map((sample) => ({
        ...sample,
        eventTimingMs:
          eventTiming === null ? Number.NaN : (slowEvents.get(sample.timeStamp) ?? null),
      }))
      const result: TypingSamples = { samples: timed, lost, remoteTransactions, longFrames }
      slowEvents = new Map()
      samples = []
      remoteTransactions = 0
      longFrames = []
      return result
    },
    stop() {
      observer?.disconnect()
      eventTiming?.disconnect()
      window.removeEventListener('keydown', onKeyDown, { capture: true })
      editor?.off('transaction', onTransaction)
    },
  }
}
