/**
 * Where the page view's pages break (GB/T 9704: 225 mm of type area a page), decided over the
 * flow of the document measured as one column with the view's own gaps taken out: the 版头 and
 * title, the body's blocks, 附件说明, signature and the 版记. A block of text breaks between two
 * lines; any other block (a table, the signature) goes whole to the next page unless it is taller
 * than a page (its page then grows to hold it). The 版记 sits at the foot of the last page (§7.4).
 *
 * @example
 *   // 850 a page: the second block would end at 1000, so it starts page 2 (50 left blank).
 *   planPages([{ top: 0, bottom: 800 }, { top: 800, bottom: 1000 }], 850).breaks
 *   // [{ block: 1, line: null, filler: 50 }]
 */

/** A block of the flow; lengths in one unit (CSS px), from the flow's top, without gaps. */
export interface FlowBlock<L> {
  readonly top: number
  readonly bottom: number
  /**
   * For a block of text lines: the first of its lines whose bottom lies below `limit`, with its
   * top and what identifies it (the line's start); null when none does.
   */
  readonly lineBelow?: (limit: number) => { readonly top: number; readonly line: L } | null
  /** Pushed down to the foot of its page (the 版记). */
  readonly atFoot?: boolean
}

/** A page break: before a block, or inside it before a line. */
export interface PlannedBreak<L> {
  readonly block: number
  /** The line the next page starts with, or null for the whole block. */
  readonly line: L | null
  /** The height left blank at the end of the page before the break. */
  readonly filler: number
}

/** The pages of a flow. */
export interface PagePlan<L> {
  readonly breaks: readonly PlannedBreak<L>[]
  /** The space above the 版记 that brings it to the foot of its page. */
  readonly foot: { readonly block: number; readonly height: number } | null
  readonly pages: number
}

/**
 * @param pageHeight the type area's height
 * @param slack what a block may exceed its page by (rounding), and stays clear under the 版记
 */
export function planPages<L>(
  blocks: readonly FlowBlock<L>[],
  pageHeight: number,
  slack = 2,
): PagePlan<L> {
  const breaks: PlannedBreak<L>[] = []
  let foot: PagePlan<L>['foot'] = null
  // Space this plan adds (fillers, the foot spacer), and where the current page starts.
  let offset = 0
  let pageStart = 0
  blocks.forEach((block, index) => {
    let blockTop = block.top + offset
    const startsPage = (at: number): boolean => at <= pageStart + slack
    const breakAt = (at: number, line: L | null): void => {
      const pageEnd = pageStart + pageHeight
      const filler = Math.max(0, pageEnd - at)
      breaks.push({ block: index, line, filler })
      offset += filler
      pageStart = pageEnd
    }
    if (block.atFoot === true) {
      const height = block.bottom - block.top
      if (blockTop + height + slack > pageStart + pageHeight && !startsPage(blockTop)) {
        breakAt(blockTop, null)
      }
      const top = block.top + offset
      const spacer = Math.max(0, pageStart + pageHeight - slack - (top + height))
      foot = { block: index, height: spacer }
      offset += spacer
      return
    }
    let split = false
    while (block.bottom + offset > pageStart + pageHeight + slack) {
      const pageEnd = pageStart + pageHeight
      const found = block.lineBelow?.(pageEnd + slack - offset) ?? null
      let at = found === null ? blockTop : found.top + offset
      let line = found === null ? null : found.line
      if (found !== null && !split && at <= blockTop + slack) {
        // The block's first line: the whole block goes over.
        line = null
        at = blockTop
      }
      if (startsPage(at)) {
        // Taller than a page from the top of one (or nothing to break before): the page grows.
        pageStart = block.bottom + offset - pageHeight
        break
      }
      breakAt(at, line)
      split = line !== null
      if (!split) {
        // The whole block moved: it starts the new page; check it again from there.
        blockTop = block.top + offset
      }
    }
  })
  return { breaks, foot, pages: breaks.length + 1 }
}
