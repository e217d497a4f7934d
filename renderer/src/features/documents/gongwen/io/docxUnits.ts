/**
 * GB/T 9704 layout in the units of WordprocessingML (twips, half-points, eighths of a point), from
 * the shared layout constants, and the Word font names of the four 公文 typefaces.
 *
 * @example
 *   new TextRun({ text, font: WORD_FONTS.fangsong, size: halfPoints(LAYOUT.bodySizePt) })
 */
import { LAYOUT, TYPE_SIZES_PT, mmToPt } from '../../../../../../shared/gongwen/layout'

/** @returns `mm` in twips (twentieths of a point), rounded. */
export function mmToTwip(mm: number): number {
  return Math.round(mmToPt(mm) * 20)
}

/** @returns `pt` in twips, rounded. */
export function ptToTwip(pt: number): number {
  return Math.round(pt * 20)
}

/** @returns a type size in half-points, the unit of w:sz. */
export function halfPoints(pt: number): number {
  return Math.round(pt * 2)
}

/** The page: A4 and the GB/T 9704 margins, in twips. */
export const PAGE_TWIPS = {
  width: mmToTwip(LAYOUT.paper.width),
  height: mmToTwip(LAYOUT.paper.height),
  top: mmToTwip(LAYOUT.margins.top),
  bottom: mmToTwip(LAYOUT.margins.bottom),
  left: mmToTwip(LAYOUT.margins.left),
  right: mmToTwip(LAYOUT.margins.right),
  /**
   * Footer distance from the paper's bottom edge: a 4号 page number whose top sits 7 mm under the
   * type area (its line is one 4号 size high, exact).
   */
  footer: mmToTwip(
    LAYOUT.margins.bottom - LAYOUT.pageNumberBelowTypeArea - LAYOUT.smallSizePt * (25.4 / 72),
  ),
  header: mmToTwip(15),
} as const

// The type area as Word computes it from the rounded page and margins.
const TYPE_HEIGHT_TWIPS = PAGE_TWIPS.height - PAGE_TWIPS.top - PAGE_TWIPS.bottom
const TYPE_WIDTH_TWIPS = PAGE_TWIPS.width - PAGE_TWIPS.left - PAGE_TWIPS.right

/**
 * One grid line in twips (579): rounded down, since Word fits floor(type area / pitch) lines and
 * 580 would leave room for only 21.
 */
export const LINE_TWIPS = Math.floor(TYPE_HEIGHT_TWIPS / LAYOUT.linesPerPage)

/** One grid character in twips (≈ 316). */
export const CHAR_TWIPS = Math.round(TYPE_WIDTH_TWIPS / LAYOUT.charsPerLine)

/** @returns `chars` grid characters in twips. */
export function charsToTwip(chars: number): number {
  return Math.round((chars * TYPE_WIDTH_TWIPS) / LAYOUT.charsPerLine)
}

/** The width of the type area in twips (156 mm). */
export const TYPE_AREA_TWIPS = TYPE_WIDTH_TWIPS

/**
 * w:docGrid of the 22 × 28 grid: the line pitch in twips, and the character pitch as its
 * difference from the 16 pt Normal size in 4096ths of a point, rounded down so that 28 characters
 * fit (≈ −849, as Word's own 公文 templates write it).
 */
export const DOC_GRID = {
  linePitch: LINE_TWIPS,
  // From the nominal 156 mm, a hair under the rounded page's width, so the 28th character fits.
  charSpace: Math.floor(
    (mmToPt(LAYOUT.typeArea.width) / LAYOUT.charsPerLine - LAYOUT.bodySizePt) * 4096,
  ),
} as const

/**
 * Word font names: each typeface's GB2312-era name as Word and WPS on government machines know
 * it. Word falls back by itself where one is missing.
 */
export const WORD_FONTS = {
  fangsong: '仿宋_GB2312',
  xiaobiaosong: '方正小标宋简体',
  heiti: '黑体',
  kaiti: '楷体_GB2312',
  songti: '宋体',
} as const

/** A Word font name of WORD_FONTS. */
export type WordFont = (typeof WORD_FONTS)[keyof typeof WORD_FONTS]

/** @returns the run font attributes that make every script use `name` (Latin digits included). */
export function runFont(name: WordFont): {
  ascii: string
  eastAsia: string
  hAnsi: string
  cs: string
} {
  return { ascii: name, eastAsia: name, hAnsi: name, cs: name }
}

/** The red of the masthead and separator as Word writes colours. */
export const RED = LAYOUT.red.replace('#', '').toUpperCase()

/** Type sizes used by the export, in points. */
export const SIZES = {
  body: LAYOUT.bodySizePt,
  title: LAYOUT.titleSizePt,
  small: LAYOUT.smallSizePt,
  table: TYPE_SIZES_PT.四号,
} as const

/** 版记 rules in eighths of a point (w:sz of a border): 0.35 mm outer, 0.25 mm inner. */
export const IMPRINT_RULES = {
  outer: Math.round(mmToPt(LAYOUT.imprintRule.outer) * 8),
  inner: Math.round(mmToPt(LAYOUT.imprintRule.inner) * 8),
} as const
