/**
 * The body of a 公文 (a ProseMirror document of the editor's schema) as WordprocessingML blocks:
 * paragraphs in 3号仿宋 on the 22-line grid with a two-character first-line indent, headings 一、
 * （一） 1. （1） as Word's Heading 1–4 (黑体, 楷体, 仿宋, 仿宋), bullet and numbered lists, and
 * tables across the type area.
 *
 * @example
 *   const blocks = bodyToDocx(bodyFromFragment(doc.getXmlFragment('body')))
 */
import {
  AlignmentType,
  HeadingLevel,
  LevelFormat,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { INumberingOptions, IRunOptions } from 'docx'
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model'
import {
  CHAR_TWIPS,
  LINE_TWIPS,
  SIZES,
  TYPE_AREA_TWIPS,
  WORD_FONTS,
  charsToTwip,
  halfPoints,
  runFont,
} from './docxUnits'
import type { WordFont } from './docxUnits'

/** The numbering reference of ordered lists. */
export const ORDERED_LIST_REFERENCE = 'gw-ordered'

/** Word heading levels by 公文 heading level (一、（一）1.（1）). */
const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
] as const

/** Typeface of each heading level (GB/T 9704 §7.3.3). */
export const HEADING_FONTS: readonly WordFont[] = [
  WORD_FONTS.heiti,
  WORD_FONTS.kaiti,
  WORD_FONTS.fangsong,
  WORD_FONTS.fangsong,
]

/** The numbering definitions the body's ordered lists use (1. then （1）, alternating by depth). */
export const BODY_NUMBERING: INumberingOptions = {
  config: [
    {
      reference: ORDERED_LIST_REFERENCE,
      levels: [0, 1, 2, 3].map((level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: level % 2 === 0 ? `%${level + 1}.` : `（%${level + 1}）`,
        alignment: AlignmentType.START,
        style: {
          paragraph: {
            indent: { left: charsToTwip(2 + (level + 1) * 2), hanging: charsToTwip(2) },
          },
        },
      })),
    },
  ],
}

/** Where a block sits, which decides its font, size and indents. */
interface BlockContext {
  readonly font: WordFont
  readonly sizePt: number
  /** Inside a table cell: no first-line indent, tighter lines. */
  readonly inCell: boolean
  /** The list the paragraph belongs to. */
  readonly list: {
    readonly ordered: boolean
    readonly level: number
    readonly instance: number
  } | null
  /** A later paragraph of a list item: no number, indented like the item's text. */
  readonly continuation?: boolean
}

/** Counts ordered lists so each one starts again at 1. */
interface ExportState {
  lists: number
}

function marksToRun(marks: readonly Mark[]): Partial<IRunOptions> {
  const run: { bold?: boolean; italics?: boolean; underline?: object; strike?: boolean } = {}
  for (const mark of marks) {
    switch (mark.type.name) {
      case 'bold':
        run.bold = true
        break
      case 'italic':
        run.italics = true
        break
      case 'underline':
        run.underline = {}
        break
      case 'strike':
        run.strike = true
        break
    }
  }
  return run
}

/** @returns the runs of a textblock's inline content. */
export function inlineRuns(node: ProseMirrorNode, font: WordFont, sizePt: number): TextRun[] {
  const runs: TextRun[] = []
  let pendingBreak = 0
  node.forEach((child) => {
    if (child.type.name === 'hardBreak') {
      pendingBreak++
      return
    }
    if (!child.isText || child.text === undefined) {
      return
    }
    runs.push(
      new TextRun({
        text: child.text,
        font: runFont(font),
        size: halfPoints(sizePt),
        ...marksToRun(child.marks),
        ...(pendingBreak > 0 ? { break: pendingBreak } : {}),
      }),
    )
    pendingBreak = 0
  })
  if (pendingBreak > 0) {
    runs.push(new TextRun({ text: '', break: pendingBreak }))
  }
  return runs
}

function textblock(node: ProseMirrorNode, context: BlockContext): Paragraph {
  const level = node.type.name === 'heading' ? Number(node.attrs.level) : 0
  const headingIndex = Math.min(Math.max(level, 1), 4) - 1
  const font = level > 0 ? (HEADING_FONTS[headingIndex] ?? context.font) : context.font
  const list = context.continuation === true ? null : context.list
  const firstLine = context.inCell || context.list !== null ? 0 : CHAR_TWIPS * 2
  const left =
    context.continuation === true && context.list !== null
      ? charsToTwip(2 + (context.list.level + 1) * 2)
      : 0
  return new Paragraph({
    ...(level > 0 && !context.inCell ? { heading: HEADINGS[headingIndex] } : {}),
    alignment: context.inCell ? AlignmentType.LEFT : AlignmentType.JUSTIFIED,
    spacing: {
      line: context.inCell ? Math.round(context.sizePt * 20 * 1.4) : LINE_TWIPS,
      lineRule: 'exact',
      before: 0,
      after: 0,
    },
    indent: { firstLine, ...(left > 0 ? { left } : {}) },
    ...(list === null
      ? {}
      : list.ordered
        ? {
            numbering: {
              reference: ORDERED_LIST_REFERENCE,
              level: list.level,
              instance: list.instance,
            },
          }
        : { bullet: { level: list.level } }),
    children: inlineRuns(node, font, context.sizePt),
  })
}

function tableColumns(node: ProseMirrorNode): number[] {
  let columns = 0
  const widths: number[] = []
  node.forEach((row) => {
    let count = 0
    row.forEach((cell) => {
      const span = Number(cell.attrs.colspan) || 1
      const colwidth: unknown = cell.attrs.colwidth
      if (Array.isArray(colwidth)) {
        colwidth.forEach((width: unknown, index) => {
          if (typeof width === 'number' && widths[count + index] === undefined) {
            widths[count + index] = width
          }
        })
      }
      count += span
    })
    columns = Math.max(columns, count)
  })
  const known = widths.filter((w) => w > 0)
  const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1
  const raw = Array.from({ length: columns }, (_, index) => widths[index] ?? fallback)
  const total = raw.reduce((a, b) => a + b, 0)
  return raw.map((w) => Math.round((w / total) * TYPE_AREA_TWIPS))
}

function table(node: ProseMirrorNode, state: ExportState): Table {
  const columnWidths = tableColumns(node)
  const rows: TableRow[] = []
  node.forEach((row, _offset, rowIndex) => {
    const cells: TableCell[] = []
    let isHeaderRow = true
    row.forEach((cell) => {
      const header = cell.type.name === 'tableHeader'
      isHeaderRow &&= header
      const context: BlockContext = {
        font: header ? WORD_FONTS.heiti : WORD_FONTS.fangsong,
        sizePt: SIZES.table,
        inCell: true,
        list: null,
      }
      const children = blocks(cell, context, state)
      cells.push(
        new TableCell({
          columnSpan: Number(cell.attrs.colspan) || 1,
          rowSpan: Number(cell.attrs.rowspan) || 1,
          margins: { left: 80, right: 80 },
          children: children.length > 0 ? children : [new Paragraph({})],
        }),
      )
    })
    rows.push(
      new TableRow({
        children: cells,
        cantSplit: true,
        // Only when true: docx writes <w:tblHeader w:val="false"/>, which readers take as a header.
        ...(isHeaderRow && rowIndex === 0 ? { tableHeader: true } : {}),
      }),
    )
  })
  return new Table({
    rows,
    columnWidths,
    width: { size: TYPE_AREA_TWIPS, type: WidthType.DXA },
  })
}

function blocks(
  parent: ProseMirrorNode,
  context: BlockContext,
  state: ExportState,
): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = []
  parent.forEach((node) => {
    out.push(...block(node, context, state))
  })
  return out
}

function list(
  node: ProseMirrorNode,
  context: BlockContext,
  state: ExportState,
): (Paragraph | Table)[] {
  const ordered = node.type.name === 'orderedList'
  const level = context.list === null ? 0 : Math.min(context.list.level + 1, 3)
  // A nested ordered list goes on with its parent's definition at the next level.
  const instance = ordered && context.list?.ordered === true ? context.list.instance : ++state.lists
  const out: (Paragraph | Table)[] = []
  node.forEach((item) => {
    let first = true
    item.forEach((child) => {
      const itemContext: BlockContext = {
        ...context,
        list: { ordered, level, instance },
        continuation: !first && child.isTextblock,
      }
      out.push(...block(child, itemContext, state))
      first &&= !child.isTextblock
    })
  })
  return out
}

function block(
  node: ProseMirrorNode,
  context: BlockContext,
  state: ExportState,
): (Paragraph | Table)[] {
  switch (node.type.name) {
    case 'paragraph':
    case 'heading':
    case 'codeBlock':
      return [textblock(node, context)]
    case 'bulletList':
    case 'orderedList':
      return list(node, { ...context, continuation: false }, state)
    case 'table':
      return [table(node, state)]
    case 'horizontalRule':
      return [new Paragraph({ thematicBreak: true })]
    default:
      // blockquote and any other container: its blocks, in place.
      return blocks(node, context, state)
  }
}

/** @returns the body's blocks, ready for a docx section. */
export function bodyToDocx(body: ProseMirrorNode): (Paragraph | Table)[] {
  const context: BlockContext = {
    font: WORD_FONTS.fangsong,
    sizePt: SIZES.body,
    inCell: false,
    list: null,
  }
  return blocks(body, context, { lists: 0 })
}
