/**
 * The gaps of the page view: at each page break the rest of the page's type area, its bottom
 * margin, the desk between two sheets and the next sheet's top margin. In the body they are
 * ProseMirror widgets (decorations only: nothing is stored in the document): a line of their own
 * inside a paragraph that runs on to the next page, or a block before a block that starts it.
 *
 * Every gap is an element of class `gw-page-gap`, so the flow can be measured without them
 * (`withoutGaps`), and carries the blank it leaves of its page (`data-filler`, px).
 */
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { LAYOUT, mmToPx } from '../../../../../../shared/gongwen/layout'

/** The desk showing between two sheets (mm). */
export const SHEET_GAP_MM = 8

/** Height of the type area of a page (px). */
export const PAGE_PX = mmToPx(LAYOUT.typeArea.height)

/** From the end of one page's type area to the start of the next one's (px). */
export const BETWEEN_PAGES_PX = mmToPx(LAYOUT.margins.bottom + SHEET_GAP_MM + LAYOUT.margins.top)

/** The class of every gap element. */
export const GAP_CLASS = 'gw-page-gap'

/** A break in the body: before the block at `pos`, or inside a text block before the line at `pos`. */
export interface BodyBreak {
  readonly pos: number
  readonly inline: boolean
  readonly filler: number
}

/** A gap of the flow, measured: top from the flow's top and height (px). */
export interface MeasuredGap {
  readonly top: number
  readonly height: number
  /** The blank left at the end of the page before the break (px); null for a gap without one. */
  readonly filler: number | null
}

interface PageGapsState {
  readonly breaks: readonly BodyBreak[]
  readonly set: DecorationSet
}

const pageGapsKey = new PluginKey<PageGapsState>('gongwenPageGaps')

function gapElement(tag: 'span' | 'div', filler: number): HTMLElement {
  const element = document.createElement(tag)
  element.className = `${GAP_CLASS} ${tag === 'span' ? 'gw-page-gap--line' : 'gw-page-gap--block'}`
  element.contentEditable = 'false'
  element.setAttribute('aria-hidden', 'true')
  element.dataset.filler = String(filler)
  element.style.height = `${filler + BETWEEN_PAGES_PX}px`
  return element
}

function decorations(doc: ProseMirrorNode, breaks: readonly BodyBreak[]): DecorationSet {
  const list: Decoration[] = []
  for (const item of breaks) {
    if (item.pos < 0 || item.pos > doc.content.size) {
      continue
    }
    const key = `gap:${item.inline ? 'line' : 'block'}:${item.filler.toFixed(1)}`
    list.push(
      Decoration.widget(item.pos, () => gapElement(item.inline ? 'span' : 'div', item.filler), {
        side: -1,
        key,
        ignoreSelection: true,
      }),
    )
    if (item.inline) {
      // The paragraph that runs on to the next page is always laid out (never skipped off
      // screen), so its gap line stays where the break is.
      const top = doc.resolve(item.pos).before(1)
      const node = doc.nodeAt(top)
      if (node !== null) {
        list.push(Decoration.node(top, top + node.nodeSize, { class: 'gw-page-host' }))
      }
    }
  }
  return DecorationSet.create(doc, list)
}

function sameBreaks(a: readonly BodyBreak[], b: readonly BodyBreak[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (item, index) =>
        item.pos === b[index]?.pos &&
        item.inline === b[index]?.inline &&
        Math.abs(item.filler - (b[index]?.filler ?? 0)) < 0.5,
    )
  )
}

/** The extension holding the body's gaps. */
export const PageGaps = Extension.create({
  name: 'gongwenPageGaps',

  addProseMirrorPlugins() {
    return [
      new Plugin<PageGapsState>({
        key: pageGapsKey,
        state: {
          init: (): PageGapsState => ({ breaks: [], set: DecorationSet.empty }),
          apply: (tr, previous: PageGapsState): PageGapsState => {
            const next = tr.getMeta(pageGapsKey) as readonly BodyBreak[] | undefined
            if (next !== undefined) {
              return { breaks: next, set: decorations(tr.doc, next) }
            }
            if (!tr.docChanged) {
              return previous
            }
            // Until measured again, the gaps follow the text they stand before.
            const breaks = previous.breaks.map((item) => ({
              ...item,
              pos: tr.mapping.map(item.pos, -1),
            }))
            return { breaks, set: previous.set.map(tr.mapping, tr.doc) }
          },
        },
        props: {
          decorations: (state) => pageGapsKey.getState(state)?.set ?? DecorationSet.empty,
        },
      }),
    ]
  },
})

/**
 * Puts the body's gaps where `breaks` says, unless they are there already.
 * @returns whether anything changed
 */
export function setBodyBreaks(view: EditorView, breaks: readonly BodyBreak[]): boolean {
  const current = pageGapsKey.getState(view.state)
  if (current === undefined || sameBreaks(current.breaks, breaks)) {
    return false
  }
  view.dispatch(view.state.tr.setMeta(pageGapsKey, breaks).setMeta('addToHistory', false))
  return true
}

/** @returns the flow's gaps, top to bottom, relative to the flow's top */
export function measureGaps(flow: HTMLElement): MeasuredGap[] {
  const origin = flow.getBoundingClientRect().top
  return [...flow.querySelectorAll<HTMLElement>(`.${GAP_CLASS}`)]
    .map((element) => {
      const box = element.getBoundingClientRect()
      const filler = element.dataset.filler
      return {
        top: box.top - origin,
        height: box.height,
        filler: filler === undefined || filler === '' ? null : Number(filler),
      }
    })
    .sort((a, b) => a.top - b.top)
}

/** @returns a function from a flow position (px from its top) to the same without the gaps above */
export function withoutGaps(gaps: readonly MeasuredGap[]): (y: number) => number {
  return (y) => {
    let removed = 0
    for (const gap of gaps) {
      if (gap.top + gap.height <= y + 0.5) {
        removed += gap.height
      }
    }
    return y - removed
  }
}
