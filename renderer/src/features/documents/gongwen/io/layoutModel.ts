/**
 * What a printed 公文 shows outside its body, decided once from `meta` (GB/T 9704 §7–§10): the
 * marks at the top left, the 发文机关标志 and its size, the 发文字号 line, the red separator, title,
 * 主送机关, 附件说明, signature and date with their right indents, and the 版记. The DOCX export and
 * the print view both draw this model, so Word and PDF agree.
 *
 * @example
 *   const model = layoutModel(readMeta(doc.getMap('meta').toJSON()))
 *   model.masthead?.lines // ['山东省人民政府文件']
 */
import { docTypeById } from '../../../../../../shared/gongwen/docTypes'
import type { DocFormat } from '../../../../../../shared/gongwen/docTypes'
import { LAYOUT, TYPE_SIZES_PT, mmToPt } from '../../../../../../shared/gongwen/layout'
import type { GongwenMeta } from '../../../../../../shared/gongwen/meta'

/** The 发文机关标志. */
export interface MastheadModel {
  /** One line per issuing authority (joint issues stack), the last one carrying 文件/令/纪要. */
  readonly lines: readonly string[]
  /** Type size in points: as large as the widest line allows, at most 小初. */
  readonly sizePt: number
  /** Distance of its top below the top of the type area (mm); negative for 信函 (in the margin). */
  readonly topMm: number
}

/** The 发文字号 line (令号 for 命令). */
export interface NumberLineModel {
  readonly number: string
  /** 签发人 names (上行文 only); when present the number sits flush left, the names right. */
  readonly signers: readonly string[]
}

/** 署名 and 成文日期, right-aligned with the signature centred over the date. */
export interface SignatureModel {
  readonly authority: string
  readonly date: string
  /** Right indents in characters (成文日期 右空四字; the 署名 centred on the date). */
  readonly authorityIndentChars: number
  readonly dateIndentChars: number
}

/** The 版记: rules above, between and below its lines. */
export interface ImprintModel {
  /** "抄送：…。", or '' when there are no 抄送机关. */
  readonly cc: string
  readonly printingAuthority: string
  /** "2023年5月8日印发", or '' when there is no 印发日期. */
  readonly printDate: string
}

/** Everything the layout needs besides the body. */
export interface GongwenLayoutModel {
  readonly format: DocFormat
  /** 份号, then 紧急程度 (in 黑体), stacked at the top left. */
  readonly marks: readonly { readonly text: string; readonly heiti: boolean }[]
  readonly masthead: MastheadModel | null
  readonly numberLine: NumberLineModel | null
  /** The red rule under the 发文字号: single (文件格式), double (信函) or none (命令, no masthead). */
  readonly separator: 'single' | 'double' | null
  readonly title: string
  /** 主送机关 ending with a full-width colon, or ''. */
  readonly recipients: string
  /** 附件说明 lines: the first starts with 附件：; numbered when there are several. */
  readonly attachments: readonly { readonly label: string; readonly text: string }[]
  readonly signature: SignatureModel | null
  readonly imprint: ImprintModel | null
  /** 信函 print no page number on page 1. */
  readonly numberFirstPage: boolean
}

/** The largest masthead size (小初, 36 pt), as the page view draws it. */
export const MASTHEAD_MAX_PT = TYPE_SIZES_PT.小初

/** The label opening 附件说明. */
export const ATTACHMENT_LABEL = '附件：'

/** The label opening the 抄送 line of the 版记. */
export const CC_LABEL = '抄送：'

/** @returns the width of `text` in body characters: full-width glyphs 1, ASCII and digits ½. */
export function textWidthChars(text: string): number {
  let width = 0
  for (const character of text) {
    width += /[\u0020-\u007e]/.test(character) ? 0.5 : 1
  }
  return width
}

function mastheadSuffix(format: DocFormat): string {
  switch (format) {
    case 'order':
      return '令'
    case 'minutes':
      return '纪要'
    case 'letter':
      return ''
    default:
      return '文件'
  }
}

/** @returns the masthead lines, or null without an issuing authority. */
function masthead(meta: GongwenMeta, format: DocFormat): MastheadModel | null {
  const names = meta.issuingAuthority
    .split(/[、\n]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0) {
    return null
  }
  const suffix = mastheadSuffix(format)
  const last = names.length - 1
  const lines = names.map((name, index) =>
    index === last && suffix !== '' && !name.endsWith(suffix) ? `${name}${suffix}` : name,
  )
  const widest = Math.max(...lines.map(textWidthChars))
  // Keep the widest line inside the type area with a little air on both sides.
  const fitting = Math.floor((mmToPt(LAYOUT.typeArea.width) * 0.96) / widest)
  const topMm =
    format === 'letter'
      ? LAYOUT.letterMastheadFromPaperTop - LAYOUT.margins.top
      : format === 'order'
        ? LAYOUT.mastheadOffset.order
        : LAYOUT.mastheadOffset.standard
  return { lines, sizePt: Math.min(MASTHEAD_MAX_PT, fitting), topMm }
}

/** @returns the right indents of 署名 and 成文日期 in characters (GB/T 9704 §7.3.5). */
export function signatureIndents(
  authority: string,
  date: string,
): { authorityIndentChars: number; dateIndentChars: number } {
  const authorityWidth = textWidthChars(authority)
  const dateWidth = textWidthChars(date)
  if (authority === '' || date === '') {
    return { authorityIndentChars: 4, dateIndentChars: 4 }
  }
  const centred = 4 + (dateWidth - authorityWidth) / 2
  if (centred >= 2) {
    return { authorityIndentChars: centred, dateIndentChars: 4 }
  }
  // A signature much longer than the date: 署名 右空二字, the date centred under it.
  return { authorityIndentChars: 2, dateIndentChars: 2 + (authorityWidth - dateWidth) / 2 }
}

const stripEnd = (text: string, pattern: RegExp): string => text.trim().replace(pattern, '')

/** @returns the layout of a document's meta; `fallbackTitle` stands in for an empty 标题. */
export function layoutModel(meta: GongwenMeta, fallbackTitle = ''): GongwenLayoutModel {
  const type = docTypeById(meta.docType)
  const format = type?.format ?? 'standard'
  const marks: { text: string; heiti: boolean }[] = []
  if (meta.copyNumber.trim() !== '') {
    marks.push({ text: meta.copyNumber.trim(), heiti: false })
  }
  if (meta.urgency !== 'none') {
    marks.push({ text: meta.urgency, heiti: true })
  }
  const head = masthead(meta, format)
  const signers = meta.signers.map((s) => s.trim()).filter((s) => s !== '')
  const number = meta.documentNumber.trim()
  const numberLine =
    number === '' && signers.length === 0
      ? null
      : { number, signers: type?.direction === 'upward' ? signers : [] }
  const recipients = stripEnd(meta.mainRecipients, /[：:]$/)
  const attachments = meta.attachments
    .map((name) => stripEnd(name, /[。.；;，,]$/))
    .filter((name) => name !== '')
  const authority = meta.issuingAuthority.trim().replace(/\n+/g, '　')
  const date = meta.writtenDate.trim()
  const cc = stripEnd(meta.ccRecipients, /[。.]$/)
  const printing = meta.printingAuthority.trim()
  const printDate = stripEnd(meta.printDate, /印发$/)
  return {
    format,
    marks,
    masthead: head,
    numberLine,
    separator:
      head === null || format === 'order' ? null : format === 'letter' ? 'double' : 'single',
    title: meta.title.trim() !== '' ? meta.title.trim() : fallbackTitle.trim(),
    recipients: recipients === '' ? '' : `${recipients}：`,
    attachments: attachments.map((text, index) => ({
      label: index === 0 ? ATTACHMENT_LABEL : '',
      text: attachments.length > 1 ? `${index + 1}.${text}` : text,
    })),
    signature:
      authority === '' && date === ''
        ? null
        : { authority, date, ...signatureIndents(authority, date) },
    imprint:
      cc === '' && printing === '' && printDate === ''
        ? null
        : {
            cc: cc === '' ? '' : `${CC_LABEL}${cc}。`,
            printingAuthority: printing,
            printDate: printDate === '' ? '' : `${printDate}印发`,
          },
    numberFirstPage: format !== 'letter',
  }
}
