/**
 * Where the 版记 goes: GB/T 9704 §7.4 puts it at the foot of the last page, its last rule on the
 * bottom edge of the type area. Given where the content before it ends (measured in one column as
 * tall as the document, the type area's height a page), returns the gap to leave before it and
 * whether it must start a new page.
 *
 * @example
 *   imprintSpacer({ contentHeight: 1200, imprintHeight: 80, pageHeight: 850 }) // { spacer: 420, newPage: false }
 */

/** The measurements, all in the same unit. */
export interface ImprintMeasure {
  /** Height of everything before the 版记. */
  readonly contentHeight: number
  readonly imprintHeight: number
  /** Height of the type area of one page. */
  readonly pageHeight: number
  /** Kept free above the page's bottom edge against rounding (default 2 units). */
  readonly slack?: number
}

/** @returns the gap before the 版记 and whether a page break precedes it. */
export function imprintSpacer(measure: ImprintMeasure): { spacer: number; newPage: boolean } {
  const { contentHeight, imprintHeight, pageHeight } = measure
  const slack = measure.slack ?? 2
  if (pageHeight <= 0 || imprintHeight >= pageHeight) {
    return { spacer: 0, newPage: false }
  }
  const used = contentHeight % pageHeight
  const remaining = pageHeight - used
  if (imprintHeight + slack <= remaining) {
    return { spacer: Math.max(0, remaining - imprintHeight - slack), newPage: false }
  }
  return { spacer: Math.max(0, pageHeight - imprintHeight - slack), newPage: true }
}

/** The closing (附件说明 and signature) and the last body block before it, measured as above. */
export interface ClosingMeasure {
  readonly lastBlockTop: number
  readonly lastBlockBottom: number
  /** Where the closing's first line begins (below the blank lines above it). */
  readonly closingTop: number
  readonly closingBottom: number
  readonly pageHeight: number
  /** Kept free above the page's bottom edge against rounding (default 2 units). */
  readonly slack?: number
}

/**
 * GB/T 9704 keeps the signature on a page that carries body text (no page of signature alone, no
 * "此页无正文"). When the closing would cross a page boundary, or start a page with no body text
 * on it, the last body block goes over to the next page with it.
 *
 * @returns the gap to leave before the last body block, 0 when the closing fits or moving the
 *   block cannot help (it already starts its page, or it and the closing exceed a page)
 * @example
 *   // 850 a page; body ends at 700, the closing takes 700–900: the last block (660) moves to 850.
 *   closingBreak({ lastBlockTop: 660, lastBlockBottom: 700, closingTop: 760, closingBottom: 900, pageHeight: 850 }) // 190
 */
export function closingBreak(measure: ClosingMeasure): number {
  const { lastBlockTop, lastBlockBottom, closingTop, closingBottom, pageHeight } = measure
  const slack = measure.slack ?? 2
  if (pageHeight <= 0) {
    return 0
  }
  const page = Math.floor(closingTop / pageHeight)
  const fitsItsPage = closingBottom + slack <= (page + 1) * pageHeight
  const bodyOnItsPage = lastBlockBottom > page * pageHeight + slack
  if (fitsItsPage && bodyOnItsPage) {
    return 0
  }
  const offset = lastBlockTop % pageHeight
  if (offset < slack || closingBottom - lastBlockTop + slack > pageHeight) {
    return 0
  }
  return pageHeight - offset
}
