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
