/**
 * Measures the page view's flow (版头 and title, the body's blocks, 附件说明, signature, 版记) as
 * one column without its gaps, plans its pages (pagination.ts) and says where the gaps go: in the
 * body as positions (pageGaps.ts), around the closing as heights the page draws. Also finds the
 * sheets to draw from the gaps in place.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { EditorView } from '@tiptap/pm/view'
import { LAYOUT, LINE_PITCH_MM, mmToPx } from '../../../../../../shared/gongwen/layout'
import { BETWEEN_PAGES_PX, PAGE_PX, measureGaps, withoutGaps } from './pageGaps'
import type { BodyBreak } from './pageGaps'
import { planPages } from './pagination'
import type { FlowBlock } from './pagination'

/** The parts of the closing that may start a page, in order. */
export type ClosingPart = 'attachments' | 'signature' | 'imprint'

/** The gap before a closing part: its height, and the blank it leaves of its page if it breaks. */
export interface ClosingGap {
  readonly height: number
  readonly filler: number | null
}

/** The elements of the flow. */
export interface FlowElements {
  readonly flow: HTMLElement
  /** Wraps the body (the editor, or what stands in for it). */
  readonly body: HTMLElement
  readonly closing: Partial<Record<ClosingPart, HTMLElement | null>>
}

/** Where the gaps go. */
export interface FlowPlan {
  readonly bodyBreaks: readonly BodyBreak[]
  readonly closingGaps: Partial<Record<ClosingPart, ClosingGap>>
}

/** A sheet to draw: its type area's top and bottom in the flow (px from the flow's top). */
export interface SheetBox {
  readonly typeTop: number
  readonly typeBottom: number
}

const LINE_PX = mmToPx(LINE_PITCH_MM)
const CHARS_PER_LINE = LAYOUT.charsPerLine

/** What a break stands before. */
type Anchor =
  | { readonly kind: 'none' }
  | { readonly kind: 'body'; readonly pos: number }
  | { readonly kind: 'closing'; readonly part: ClosingPart }

/** Text nodes of an element that belong to the document (not labels of colleagues' carets). */
function documentText(element: HTMLElement): Text[] {
  const texts: Text[] = []
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (
      node instanceof Text &&
      node.length > 0 &&
      node.parentElement?.closest('[contenteditable="false"]') === null
    ) {
      texts.push(node)
    }
  }
  return texts
}

/**
 * @returns the first line of a laid-out text element whose bottom (without gaps) lies below
 *   `limit`: its top and the document position of its first character
 */
function lineBelow(
  element: HTMLElement,
  limit: number,
  view: EditorView,
  toFlow: (y: number) => number,
): { top: number; line: number } | null {
  const texts = documentText(element)
  const starts: number[] = []
  let total = 0
  for (const text of texts) {
    starts.push(total)
    total += text.length
  }
  if (total === 0) {
    return null
  }
  const range = document.createRange()
  const locate = (index: number): { node: Text; offset: number } => {
    let low = 0
    let high = texts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] ?? 0) <= index) {
        low = middle
      } else {
        high = middle - 1
      }
    }
    const node = texts[low] as Text
    return { node, offset: index - (starts[low] ?? 0) }
  }
  const box = (index: number): { top: number; bottom: number } => {
    const { node, offset } = locate(index)
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    const rect = range.getBoundingClientRect()
    return { top: toFlow(rect.top), bottom: toFlow(rect.bottom) }
  }
  if (box(total - 1).bottom <= limit) {
    return null
  }
  let low = 0
  let high = total - 1
  while (low < high) {
    const middle = (low + high) >> 1
    if (box(middle).bottom > limit) {
      high = middle
    } else {
      low = middle + 1
    }
  }
  // Back to the first character of that line (a smaller glyph may end higher than its line).
  const top = box(low).top
  let first = low
  for (let steps = 0; first > 0 && steps < CHARS_PER_LINE * 2; steps++) {
    const previous = box(first - 1)
    if (previous.bottom <= top + 1) {
      break
    }
    first--
  }
  const { node, offset } = locate(first)
  return { top: box(first).top, line: view.posAtDOM(node, offset) }
}

/** A paragraph Chromium has not laid out (off screen): its lines estimated on the 28 × 22 grid. */
function estimatedLineBelow(
  node: ProseMirrorNode,
  offset: number,
  top: number,
  limit: number,
): { top: number; line: number } | null {
  const line = Math.floor((limit - top) / LINE_PX)
  const chars = Math.max(0, line * CHARS_PER_LINE - 2)
  if (chars >= node.content.size) {
    return null
  }
  return { top: top + line * LINE_PX, line: offset + 1 + chars }
}

function isLaidOut(element: HTMLElement): boolean {
  return typeof element.checkVisibility !== 'function'
    ? true
    : element.checkVisibility({ contentVisibilityAuto: true })
}

/** @returns the plan of the flow's pages as laid out now (gaps included) */
export function planFlow(elements: FlowElements, view: EditorView | null): FlowPlan {
  const { flow, body } = elements
  const origin = flow.getBoundingClientRect().top
  const virtual = withoutGaps(measureGaps(flow))
  const toFlow = (y: number): number => virtual(y - origin)
  const blocks: FlowBlock<number>[] = []
  const anchors: Anchor[] = []
  const bodyBox = body.getBoundingClientRect()
  // The 版头, title and 主送 above the body: page 1, whatever happens.
  blocks.push({ top: 0, bottom: toFlow(bodyBox.top) })
  anchors.push({ kind: 'none' })
  if (view === null) {
    blocks.push({ top: toFlow(bodyBox.top), bottom: toFlow(bodyBox.bottom) })
    anchors.push({ kind: 'none' })
  } else {
    view.state.doc.forEach((node, offset) => {
      const dom = view.nodeDOM(offset)
      if (!(dom instanceof HTMLElement)) {
        return
      }
      const box = dom.getBoundingClientRect()
      const top = toFlow(box.top)
      const splittable =
        node.isTextblock || node.type.name.endsWith('List') || node.type.name === 'blockquote'
      blocks.push({
        top,
        bottom: toFlow(box.bottom),
        lineBelow: !splittable
          ? undefined
          : (limit) =>
              isLaidOut(dom)
                ? lineBelow(dom, limit, view, toFlow)
                : node.isTextblock
                  ? estimatedLineBelow(node, offset, top, limit)
                  : null,
      })
      anchors.push({ kind: 'body', pos: offset })
    })
  }
  for (const part of ['attachments', 'signature', 'imprint'] as const) {
    const element = elements.closing[part]
    if (element === null || element === undefined) {
      continue
    }
    const box = element.getBoundingClientRect()
    blocks.push({ top: toFlow(box.top), bottom: toFlow(box.bottom), atFoot: part === 'imprint' })
    anchors.push({ kind: 'closing', part })
  }

  const plan = planPages(blocks, PAGE_PX)
  const bodyBreaks: BodyBreak[] = []
  const closingGaps: Partial<Record<ClosingPart, ClosingGap>> = {}
  for (const item of plan.breaks) {
    const anchor = anchors[item.block]
    if (anchor?.kind === 'body') {
      bodyBreaks.push(
        item.line === null
          ? { pos: anchor.pos, inline: false, filler: item.filler }
          : bodyBreakAt(view, item.line, item.filler),
      )
    } else if (anchor?.kind === 'closing') {
      closingGaps[anchor.part] = { height: item.filler + BETWEEN_PAGES_PX, filler: item.filler }
    }
  }
  if (plan.foot !== null) {
    const anchor = anchors[plan.foot.block]
    if (anchor?.kind === 'closing') {
      const before = closingGaps[anchor.part]
      closingGaps[anchor.part] = {
        height: (before?.height ?? 0) + plan.foot.height,
        filler: before?.filler ?? null,
      }
    }
  }
  return { bodyBreaks, closingGaps }
}

/** A break before a line: inside its text block, or before the block when the line is its first. */
function bodyBreakAt(view: EditorView | null, pos: number, filler: number): BodyBreak {
  if (view === null) {
    return { pos, inline: true, filler }
  }
  const resolved = view.state.doc.resolve(pos)
  if (resolved.parent.isTextblock && resolved.parentOffset === 0 && resolved.depth > 0) {
    return { pos: resolved.before(), inline: false, filler }
  }
  return { pos, inline: true, filler }
}

/** @returns the sheets of the flow as laid out now, from its gaps that break pages */
export function sheetBoxes(flow: HTMLElement): SheetBox[] {
  const breaks = measureGaps(flow).filter((gap) => gap.filler !== null)
  const sheets: SheetBox[] = []
  let typeTop = 0
  for (const gap of breaks) {
    const end = gap.top + (gap.filler ?? 0)
    sheets.push({ typeTop, typeBottom: end })
    typeTop = end + BETWEEN_PAGES_PX
  }
  const height = flow.getBoundingClientRect().height
  sheets.push({ typeTop, typeBottom: Math.max(typeTop + PAGE_PX, height) })
  return sheets
}
