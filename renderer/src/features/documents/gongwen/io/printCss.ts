/**
 * The print rules of a 公文 (GB/T 9704 §5, §7.5): a named page `gongwen` of A4 with 天头 37 mm and
 * 订口 28 mm, and "— 1 —" page numbers in 4号 宋体 7 mm below the type area, odd (right-hand) pages
 * at the right and even pages at the left, one character in, through @page margin boxes. Named, so
 * printing any other screen of the app keeps the browser's own page.
 *
 * @example
 *   installPrintCss(document) // once; the print view's root has `page: gongwen`
 */
import { FONT_STACKS, LAYOUT } from '../../../../../../shared/gongwen/layout'

/** The page names: `gongwen`, and `gongwen-letter` whose first page has no number (信函). */
export const PRINT_PAGE = { standard: 'gongwen', letter: 'gongwen-letter' } as const

const STYLE_ID = 'qilu-gongwen-print'

const songti = '"宋体", "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'

function numberBox(side: 'left' | 'right'): string {
  return `@bottom-${side} {
    content: '— ' counter(page) ' —';
    font-family: ${songti};
    font-size: ${LAYOUT.smallSizePt}pt;
    line-height: 1;
    color: #000;
    vertical-align: top;
    text-align: ${side};
    padding-top: ${LAYOUT.pageNumberBelowTypeArea}mm;
    padding-${side}: 1em;
  }`
}

/** @returns the print style sheet's text. */
export function printCssText(): string {
  const { margins } = LAYOUT
  const page = `size: A4; margin: ${margins.top}mm ${margins.right}mm ${margins.bottom}mm ${margins.left}mm;`
  return [
    ...Object.values(PRINT_PAGE).map(
      (name) => `@page ${name} { ${page} }
@page ${name}:right { ${numberBox('right')} }
@page ${name}:left { ${numberBox('left')} }`,
    ),
    `@page ${PRINT_PAGE.letter}:first { @bottom-right { content: none; } }`,
    `@media print {
  html, body { background: #fff !important; }
  .gw-print-root { font-family: ${FONT_STACKS.fangsong}; }
}`,
  ].join('\n')
}

/** Adds the print style sheet to `target` once. */
export function installPrintCss(target: Document): void {
  if (target.getElementById(STYLE_ID) !== null) {
    return
  }
  const style = target.createElement('style')
  style.id = STYLE_ID
  style.textContent = printCssText()
  target.head.appendChild(style)
}
