/**
 * Exports a 公文 as a .docx in GB/T 9704 layout with the `docx` library: A4 with 天头 37 and 订口
 * 28 mm, the 22 × 28 grid (w:docGrid), the 版头 (份号, 紧急程度, red masthead, 发文字号, red rule),
 * title, 主送机关, body, 附件说明, 署名 and 成文日期, the 版记 at the foot of the last page, and
 * "— 1 —" page numbers, odd pages right and even pages left.
 *
 * @example
 *   const bytes = await exportDocx(readMeta(meta.toJSON()), bodyFromFragment(body))
 *   await getBridge().saveFile({ suggestedName: '通知.docx', mimeType: DOCX_MIME, data: bytes })
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableAnchorType,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from 'docx'
import type { IBaseParagraphStyleOptions, IBorderOptions } from 'docx'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { GongwenMeta } from '../../../../../../shared/gongwen/meta'
import { BODY_NUMBERING, HEADING_FONTS, bodyToDocx } from './docxBody'
import {
  CHAR_TWIPS,
  DOC_GRID,
  IMPRINT_RULES,
  LINE_TWIPS,
  PAGE_TWIPS,
  RED,
  SIZES,
  TYPE_AREA_TWIPS,
  WORD_FONTS,
  charsToTwip,
  halfPoints,
  mmToTwip,
  ptToTwip,
  runFont,
} from './docxUnits'
import type { WordFont } from './docxUnits'
import { LAYOUT, mmToPt } from '../../../../../../shared/gongwen/layout'
import { layoutModel, textWidthChars } from './layoutModel'
import type { GongwenLayoutModel, ImprintModel } from './layoutModel'

/** The MIME type of a .docx file. */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

interface LineOptions {
  readonly text?: string
  readonly runs?: TextRun[]
  readonly font?: WordFont
  readonly sizePt?: number
  readonly alignment?: (typeof AlignmentType)[keyof typeof AlignmentType]
  readonly lineTwips?: number
  readonly indent?: { left?: number; right?: number; firstLine?: number; hanging?: number }
  readonly border?: { bottom: IBorderOptions }
}

function run(text: string, font: WordFont, sizePt: number, color?: string): TextRun {
  return new TextRun({
    text,
    font: runFont(font),
    size: halfPoints(sizePt),
    ...(color === undefined ? {} : { color }),
  })
}

/** A one-line paragraph on an exact line height (a grid line unless told otherwise). */
function line(options: LineOptions): Paragraph {
  const font = options.font ?? WORD_FONTS.fangsong
  const sizePt = options.sizePt ?? SIZES.body
  return new Paragraph({
    alignment: options.alignment ?? AlignmentType.LEFT,
    spacing: { line: options.lineTwips ?? LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
    indent: { firstLine: 0, ...options.indent },
    ...(options.border === undefined ? {} : { border: options.border }),
    children: options.runs ?? (options.text === undefined ? [] : [run(options.text, font, sizePt)]),
  })
}

const blank = (count: number): Paragraph[] => Array.from({ length: count }, () => line({}))

function header(model: GongwenLayoutModel): Paragraph[] {
  const out: Paragraph[] = model.marks.map((mark) =>
    line({ text: mark.text, font: mark.heiti ? WORD_FONTS.heiti : WORD_FONTS.fangsong }),
  )
  const head = model.masthead
  if (head === null) {
    return out
  }
  // An exact-height empty line brings the masthead's top to its distance below the type area.
  const gap = mmToTwip(head.topMm) - model.marks.length * LINE_TWIPS
  if (gap > 20) {
    out.push(line({ lineTwips: gap }))
  }
  const mastheadLine = Math.round(head.sizePt * 20 * 1.15)
  for (const text of head.lines) {
    out.push(
      line({
        runs: [run(text, WORD_FONTS.xiaobiaosong, head.sizePt, RED)],
        alignment: AlignmentType.CENTER,
        lineTwips: mastheadLine,
      }),
    )
  }
  const rule: IBorderOptions | null =
    model.separator === null
      ? null
      : {
          style: model.separator === 'double' ? BorderStyle.DOUBLE : BorderStyle.SINGLE,
          size: model.separator === 'double' ? 6 : 12,
          color: RED,
          // 4 mm between the number's line and the rule, less the leading under the glyphs.
          space: 4,
        }
  const border = rule === null ? {} : { border: { bottom: rule } }
  const number = model.numberLine
  out.push(...blank(2))
  if (number === null) {
    out.push(line({ lineTwips: 20, ...border }))
  } else if (number.signers.length === 0) {
    out.push(line({ text: number.number, alignment: AlignmentType.CENTER, ...border }))
  } else {
    // 上行文: the number flush left (one character in), 签发人 at the right, level with it.
    out.push(
      new Paragraph({
        spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
        indent: { left: CHAR_TWIPS, right: CHAR_TWIPS, firstLine: 0 },
        tabStops: [{ type: TabStopType.RIGHT, position: TYPE_AREA_TWIPS - CHAR_TWIPS }],
        ...border,
        children: [
          run(number.number, WORD_FONTS.fangsong, SIZES.body),
          run('\t签发人：', WORD_FONTS.fangsong, SIZES.body),
          run(number.signers.join('　'), WORD_FONTS.kaiti, SIZES.body),
        ],
      }),
    )
  }
  out.push(...blank(2))
  return out
}

function titleAndRecipients(model: GongwenLayoutModel): Paragraph[] {
  const out: Paragraph[] = []
  if (model.title !== '') {
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
        indent: { firstLine: 0 },
        children: [run(model.title, WORD_FONTS.xiaobiaosong, SIZES.title)],
      }),
    )
  }
  if (model.recipients !== '') {
    out.push(...blank(1), line({ text: model.recipients }))
  }
  return out
}

function closing(model: GongwenLayoutModel): Paragraph[] {
  const out: Paragraph[] = []
  if (model.attachments.length > 0) {
    out.push(...blank(1))
    for (const item of model.attachments) {
      // 附件： then the names, a second line of a name aligned under the first name.
      out.push(
        new Paragraph({
          spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
          indent:
            item.label === ''
              ? { left: charsToTwip(5), firstLine: 0 }
              : { left: charsToTwip(5), hanging: charsToTwip(3) },
          children: [run(`${item.label}${item.text}`, WORD_FONTS.fangsong, SIZES.body)],
        }),
      )
    }
  }
  const signature = model.signature
  if (signature !== null) {
    out.push(...blank(2))
    if (signature.authority !== '') {
      out.push(
        line({
          text: signature.authority,
          alignment: AlignmentType.RIGHT,
          indent: { right: charsToTwip(signature.authorityIndentChars) },
        }),
      )
    }
    if (signature.date !== '') {
      out.push(
        line({
          text: signature.date,
          alignment: AlignmentType.RIGHT,
          indent: { right: charsToTwip(signature.dateIndentChars) },
        }),
      )
    }
  }
  return out
}

// 4号 characters on a 版记 line between its one-character indents (less one for safety).
const IMPRINT_CHARS_PER_LINE = Math.floor(mmToPt(LAYOUT.typeArea.width) / SIZES.small) - 3

/** The 版记 as a table floated to the bottom of the last page's type area. */
function imprint(model: ImprintModel): Table {
  const indent = ptToTwip(SIZES.small)
  const cell = (paragraph: Paragraph): TableRow =>
    new TableRow({
      cantSplit: true,
      children: [
        new TableCell({
          width: { size: TYPE_AREA_TWIPS, type: WidthType.DXA },
          margins: { left: 0, right: 0, top: 0, bottom: 0 },
          children: [paragraph],
        }),
      ],
    })
  const rows: TableRow[] = []
  let lines = 0
  if (model.cc !== '') {
    lines += Math.ceil(textWidthChars(model.cc) / IMPRINT_CHARS_PER_LINE)
    rows.push(
      cell(
        new Paragraph({
          spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
          indent: { left: indent, right: indent, hanging: ptToTwip(SIZES.small * 3) },
          children: [run(model.cc, WORD_FONTS.fangsong, SIZES.small)],
        }),
      ),
    )
  }
  if (model.printingAuthority !== '' || model.printDate !== '') {
    lines += 1
    rows.push(
      cell(
        new Paragraph({
          spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
          indent: { left: indent, right: indent, firstLine: 0 },
          tabStops: [{ type: TabStopType.RIGHT, position: TYPE_AREA_TWIPS - 2 * indent }],
          children: [
            run(model.printingAuthority, WORD_FONTS.fangsong, SIZES.small),
            run(`\t${model.printDate}`, WORD_FONTS.fangsong, SIZES.small),
          ],
        }),
      ),
    )
  }
  // Rows have exact line heights, so the table's height is known: place its top so that its last
  // rule lies on the bottom edge of the type area (GB/T 9704 §7.4), in Word and LibreOffice alike.
  const height = lines * LINE_TWIPS
  const outer = { style: BorderStyle.SINGLE, size: IMPRINT_RULES.outer, color: '000000' }
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }
  return new Table({
    rows,
    columnWidths: [TYPE_AREA_TWIPS],
    width: { size: TYPE_AREA_TWIPS, type: WidthType.DXA },
    float: {
      horizontalAnchor: TableAnchorType.MARGIN,
      verticalAnchor: TableAnchorType.MARGIN,
      absoluteHorizontalPosition: 0,
      absoluteVerticalPosition: Math.max(0, mmToTwip(LAYOUT.typeArea.height) - height),
      overlap: 'never',
    },
    borders: {
      top: outer,
      bottom: outer,
      left: none,
      right: none,
      insideVertical: none,
      insideHorizontal: { style: BorderStyle.SINGLE, size: IMPRINT_RULES.inner, color: '000000' },
    },
  })
}

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const indent = ptToTwip(SIZES.small)
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { line: ptToTwip(SIZES.small), lineRule: 'exact', before: 0, after: 0 },
        indent: side === 'odd' ? { right: indent } : { left: indent },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: runFont(WORD_FONTS.songti),
            size: halfPoints(SIZES.small),
          }),
        ],
      }),
    ],
  })
}

function headingStyle(level: number): IBaseParagraphStyleOptions {
  return {
    run: {
      font: runFont(HEADING_FONTS[level] ?? WORD_FONTS.fangsong),
      size: halfPoints(SIZES.body),
      bold: false,
      italics: false,
      color: '000000',
    },
    paragraph: {
      spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 },
      indent: { firstLine: CHAR_TWIPS * 2 },
      outlineLevel: level,
      keepNext: true,
    },
  }
}

/** @returns the Word document of a 公文 (meta and body). */
export function buildDocx(meta: GongwenMeta, body: ProseMirrorNode, fallbackTitle = ''): Document {
  const model = layoutModel(meta, fallbackTitle)
  const children: (Paragraph | Table)[] = [
    ...header(model),
    ...titleAndRecipients(model),
    ...bodyToDocx(body),
    ...closing(model),
  ]
  if (model.imprint !== null) {
    children.push(imprint(model.imprint))
    // A document may not end with a table: Word needs a paragraph after it.
    children.push(line({ lineTwips: 20 }))
  }
  return new Document({
    creator: '齐鲁办公',
    title: model.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: runFont(WORD_FONTS.fangsong), size: halfPoints(SIZES.body) },
          paragraph: { spacing: { line: LINE_TWIPS, lineRule: 'exact', before: 0, after: 0 } },
        },
        heading1: headingStyle(0),
        heading2: headingStyle(1),
        heading3: headingStyle(2),
        heading4: headingStyle(3),
      },
    },
    numbering: BODY_NUMBERING,
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE_TWIPS.width, height: PAGE_TWIPS.height },
            margin: {
              top: PAGE_TWIPS.top,
              bottom: PAGE_TWIPS.bottom,
              left: PAGE_TWIPS.left,
              right: PAGE_TWIPS.right,
              header: PAGE_TWIPS.header,
              footer: PAGE_TWIPS.footer,
            },
          },
          grid: { type: DocumentGridType.LINES_AND_CHARS, ...DOC_GRID },
          titlePage: !model.numberFirstPage,
        },
        footers: {
          default: pageNumberFooter('odd'),
          even: pageNumberFooter('even'),
          ...(model.numberFirstPage ? {} : { first: new Footer({ children: [] }) }),
        },
        children,
      },
    ],
  })
}

/** @returns the .docx bytes of a 公文. */
export async function exportDocx(
  meta: GongwenMeta,
  body: ProseMirrorNode,
  fallbackTitle = '',
): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toArrayBuffer(buildDocx(meta, body, fallbackTitle)))
}
