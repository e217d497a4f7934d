/**
 * GB/T 9704-2012 page layout as constants (lengths in millimetres, type sizes in points), shared by
 * the page view, the PDF/DOCX exports and the checker's first-page estimate.
 *
 * @example
 *   `${LAYOUT.margins.top}mm` // '37mm'
 *   LINE_PITCH_PT // ≈ 28.99
 */

/** Chinese type size names (字号) in points. */
export const TYPE_SIZES_PT = {
  初号: 42,
  小初: 36,
  一号: 26,
  小一: 24,
  二号: 22,
  小二: 18,
  三号: 16,
  小三: 15,
  四号: 14,
  小四: 12,
  五号: 10.5,
} as const

/** Millimetres per point (1 pt = 1/72 inch). */
export const MM_PER_PT = 25.4 / 72

/** @returns `mm` in points. */
export function mmToPt(mm: number): number {
  return mm / MM_PER_PT
}

/** @returns `mm` in CSS pixels (96 per inch). */
export function mmToPx(mm: number): number {
  return (mm / 25.4) * 96
}

/** The page and its zones (GB/T 9704 §5). */
export const LAYOUT = {
  /** A4. */
  paper: { width: 210, height: 297 },
  /** 天头 37, 订口 28; bottom and right follow from the 156 × 225 type area. */
  margins: { top: 37, bottom: 35, left: 28, right: 26 },
  /** 版心. */
  typeArea: { width: 156, height: 225 },
  /** 22 lines of 28 characters a page. */
  linesPerPage: 22,
  charsPerLine: 28,
  /** Body type: 3号 仿宋, black. */
  bodySizePt: TYPE_SIZES_PT.三号,
  /** Title: 2号 小标宋, centred. */
  titleSizePt: TYPE_SIZES_PT.二号,
  /** 版记, page numbers: 4号. */
  smallSizePt: TYPE_SIZES_PT.四号,
  /** Top of the 发文机关标志 below the top of the type area, per format. */
  mastheadOffset: { standard: 35, order: 20, minutes: 35 },
  /** 信函: the masthead's top from the paper's top edge (it sits in the top margin). */
  letterMastheadFromPaperTop: 30,
  /** The red separator sits this far under the 发文字号 and spans the type area. */
  separatorBelowNumber: 4,
  /** Page numbers sit this far below the type area; odd pages right, even pages left. */
  pageNumberBelowTypeArea: 7,
  /** 版记 rules: first and last 0.35 mm, those between 0.25 mm. */
  imprintRule: { outer: 0.35, inner: 0.25 },
  /** Red of the masthead and separator. */
  red: '#ff0000',
} as const

/** Line pitch of the 22-line grid in points (≈ 28.99). */
export const LINE_PITCH_PT = mmToPt(LAYOUT.typeArea.height) / LAYOUT.linesPerPage

/** Character pitch of the 28-character grid in points (≈ 15.79: 3号 with slightly tight spacing). */
export const CHAR_PITCH_PT = mmToPt(LAYOUT.typeArea.width) / LAYOUT.charsPerLine

/** Line pitch of the grid in millimetres (≈ 10.23). */
export const LINE_PITCH_MM = LAYOUT.typeArea.height / LAYOUT.linesPerPage

/** Characters of a 2号 title on one line of the type area. */
export const TITLE_CHARS_PER_LINE = Math.floor(mmToPt(LAYOUT.typeArea.width) / LAYOUT.titleSizePt)

/**
 * Font stacks with fallbacks for machines without the GB2312-era fonts (仿宋_GB2312, 方正小标宋):
 * the Windows names first, then macOS, then the Noto/Source Han families of Linux (UOS, Kylin).
 */
export const FONT_STACKS = {
  /** 仿宋: the body. */
  fangsong:
    '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋", "Noto Serif CJK SC", "Source Han Serif SC", serif',
  /** 小标宋: title and masthead. */
  xiaobiaosong:
    '"方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋", "华文中宋", "STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif',
  /** 黑体: level-1 headings, 密级/紧急程度, 附件 label. */
  heiti:
    '"黑体", "SimHei", "STHeiti", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
  /** 楷体: level-2 headings, 签发人 names. */
  kaiti:
    '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", "Noto Serif CJK SC", serif',
} as const

/** A font stack name. */
export type FontStack = keyof typeof FONT_STACKS

/**
 * Lines the 版头 takes on page 1 before the title, by format, in grid lines (estimates for the
 * checker; the page view measures the real thing).
 */
export const HEADER_LINES = {
  /** Masthead glyphs, one line of agency names (about 15 mm at the usual size). */
  mastheadPerLine: 1.5,
  /** 空二行 between masthead and 发文字号, and between separator and title. */
  blankBeforeNumber: 2,
  blankBeforeTitle: 2,
  /** 4 mm separator gap. */
  separator: LAYOUT.separatorBelowNumber / LINE_PITCH_MM,
  /** One blank line between title and 主送机关. */
  blankBeforeRecipients: 1,
} as const
