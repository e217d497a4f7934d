/**
 * Finds the 公文要素 in the blocks of an imported Word document, so that they go into `meta`
 * instead of the body (GB/T 9704 §7–§10 order): before the body, 份号, 密级, 紧急程度, the 发文机关
 * 标志, the 发文字号 (with 签发人), the 标题 and the 主送机关; after it, the 附件说明, the 署名, the
 * 成文日期 and the 版记 (抄送机关, 印发机关 and 印发日期), in paragraphs or in a table, as Word files
 * and our own DOCX export lay them out.
 *
 * It is deliberately strict: an element is only taken from the run of such blocks at the start or
 * at the end of the document, and only in a form that cannot be a sentence of the body (a sentence
 * ends in 。 and a 主送机关 line only follows a 标题). Anything it is unsure of stays in the body,
 * where the drafter sees it.
 *
 * @example
 *   recogniseElements([{ kind: 'paragraph', text: '鲁政发〔2024〕3号' }, …]).meta.documentNumber
 */
import { DOC_TYPES, titleEndings } from './docTypes'
import { isClassified } from './meta'
import type { GongwenMeta, Urgency } from './meta'

/** A top-level block of the imported document. */
export interface ImportBlock {
  readonly kind: 'paragraph' | 'title' | 'heading' | 'table' | 'other'
  /** Its text; for a table, the text of each cell paragraph in order (`lines`). */
  readonly text: string
  readonly lines?: readonly string[]
}

/** The elements found. */
export interface RecognisedElements {
  /** Meta values found (only the keys that were found). */
  readonly meta: Partial<Writable<GongwenMeta>>
  /** Indexes of the blocks that held them (to leave out of the body). */
  readonly taken: ReadonlySet<number>
  /** A 密级 mark such as 秘密★1年, when the document carries one (it must not be imported). */
  readonly classifiedMark: string | null
}

type Writable<T> = { -readonly [K in keyof T]: T[K] }

const compact = (text: string): string => text.replace(/\s+/g, '')

const COPY_NUMBER = /^\d{6}$/
const URGENCY: Readonly<Record<string, Urgency>> = { 特急: '特急', 加急: '加急' }
const MASTHEAD = /^(.{2,60}?)文件$/
/** 鲁政办发〔2024〕3号, also with [] or () for the year, then optionally 签发人：… */
const DOCUMENT_NUMBER = /^(\S{1,20}?[〔[［(（]\d{4}[〕\]］)）]\d+号)(签发人[：:].+)?$/
const SIGNERS_LINE = /^签发人[：:](.+)$/
/** The names after 签发人： on a line, spaces kept (they separate the names). */
const SIGNERS_IN_LINE = /签发人[：:]\s*(.+)$/
const DATE_DIGITS = /^\d{4}年\d{1,2}月\d{1,2}日$/
const DATE_CHINESE =
  /^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$/
const ATTACHMENTS_HEAD = /^附件[：:](.*)$/
const NUMBERED_ITEM = /^(\d+)[.．、]\s*(.+)$/
const CC_LINE = /^抄送[：:](.+?)。?$/
/** 山东省人民政府办公厅 2024年1月26日印发 (any spacing between the two). */
const PRINT_LINE = /^(.+?)\s+(\d{4}年\d{1,2}月\d{1,2}日)印发$/

/** What a recipient's name ends with (主送机关 lines list organisations, not sentences). */
const ORGANISATION_END =
  /(政府|部门|单位|机关|机构|组织|厅|局|委|办|院|会|部|室|处|科|所|司|署|行|校|公司|中心|集团|党组|党委|街道|乡镇|县|市|区|省|同志|各位)$/

/** @returns whether the text is a 主送机关 line: organisations separated by ，or 、, then a colon */
function looksLikeRecipients(text: string): boolean {
  if (text.length > 300 || !/[：:]$/.test(text) || /[。；！？]|如下/.test(text)) {
    return false
  }
  const names = text.slice(0, -1).split(/[，、,]/)
  return names.every((name) => name.length >= 2 && ORGANISATION_END.test(name))
}

const isDate = (text: string): boolean => DATE_DIGITS.test(text) || DATE_CHINESE.test(text)

function splitNames(text: string): string[] {
  return text
    .split(/[\s、，,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '')
}

/** @returns whether the text reads as a 公文 title: it ends with a 文种 and is not a sentence */
function looksLikeTitle(text: string): boolean {
  const value = compact(text)
  return (
    value.length >= 4 &&
    value.length <= 100 &&
    !/[。；！？：:]/.test(value) &&
    DOC_TYPES.some((type) => titleEndings(type).some((ending) => value.endsWith(ending)))
  )
}

/** A short line with no punctuation at all: a 署名 or an authority's name. */
function looksLikeName(text: string): boolean {
  const value = compact(text)
  return (
    value.length >= 2 &&
    value.length <= 40 &&
    !/[。，、；：:！？,.（）()]/.test(value) &&
    !/^(特此|此复|此致|妥否|以上)/.test(value) &&
    !looksLikeTitle(value)
  )
}

/**
 * Reads 版记 lines (抄送：…。 and …印发). @returns the values they give, or null when a line is
 *   something else, none is a 版记 line, or a value was already found
 */
function readImprint(
  lines: readonly string[],
  known: Partial<GongwenMeta>,
): Partial<Writable<GongwenMeta>> | null {
  const found: Partial<Writable<GongwenMeta>> = {}
  for (const line of lines) {
    const text = line.replace(/\s+/g, ' ').trim()
    const cc = CC_LINE.exec(compact(text))
    const print = PRINT_LINE.exec(text)
    if (cc !== null && known.ccRecipients === undefined && found.ccRecipients === undefined) {
      found.ccRecipients = cc[1] ?? ''
    } else if (print !== null && known.printDate === undefined && found.printDate === undefined) {
      found.printingAuthority = compact(print[1] ?? '')
      found.printDate = print[2] ?? ''
    } else if (text !== '') {
      return null
    }
  }
  return Object.keys(found).length > 0 ? found : null
}

/** What the head of the document (the blocks before the body) gave. */
interface Head {
  readonly meta: Partial<Writable<GongwenMeta>>
  readonly taken: Set<number>
  /** Index of the first block of the body. */
  readonly bodyStart: number
  readonly classifiedMark: string | null
}

/**
 * Reads the run of 版头 blocks at the start, up to the 标题 and the 主送机关 line after it. Marks
 * and a masthead with no title after them are not a 公文 head: then nothing is taken.
 */
function readHead(blocks: readonly ImportBlock[]): Head {
  const meta: Partial<Writable<GongwenMeta>> = {}
  const taken = new Set<number>()
  let classifiedMark: string | null = null
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]
    if (block === undefined || (block.kind !== 'paragraph' && block.kind !== 'title')) {
      break
    }
    const text = compact(block.text)
    if (block.kind === 'title' || looksLikeTitle(text)) {
      meta.title = block.text.replace(/\s+/g, ' ').trim()
      taken.add(i)
      // Only the 主送机关 follows the title, as one line ending with a colon.
      const next = blocks[i + 1]
      if (next?.kind === 'paragraph' && looksLikeRecipients(compact(next.text))) {
        meta.mainRecipients = compact(next.text).slice(0, -1)
        taken.add(i + 1)
        return { meta, taken, bodyStart: i + 2, classifiedMark }
      }
      return { meta, taken, bodyStart: i + 1, classifiedMark }
    }
    if (meta.copyNumber === undefined && i < 4 && COPY_NUMBER.test(text)) {
      meta.copyNumber = text
    } else if (i < 4 && text.length <= 12 && isClassified(text)) {
      classifiedMark = text
    } else if (meta.urgency === undefined && i < 5 && URGENCY[text] !== undefined) {
      meta.urgency = URGENCY[text]
    } else if (meta.issuingAuthority === undefined && i < 6 && MASTHEAD.test(text)) {
      meta.issuingAuthority = MASTHEAD.exec(text)?.[1] ?? ''
    } else if (meta.documentNumber === undefined && DOCUMENT_NUMBER.test(text)) {
      const match = DOCUMENT_NUMBER.exec(text)
      meta.documentNumber = match?.[1] ?? text
      if (match?.[2] !== undefined) {
        meta.signers = splitNames(SIGNERS_IN_LINE.exec(block.text)?.[1] ?? '')
      }
    } else if (
      meta.documentNumber !== undefined &&
      meta.signers === undefined &&
      SIGNERS_LINE.test(text)
    ) {
      meta.signers = splitNames(SIGNERS_IN_LINE.exec(block.text)?.[1] ?? '')
    } else {
      break
    }
    taken.add(i)
  }
  return { meta: {}, taken: new Set(), bodyStart: 0, classifiedMark }
}

/**
 * Reads a 附件说明 ending at block `end`: 附件：1.… then 2.… (or 附件：name alone).
 * @returns the attachment names without numbering and the blocks they took, or null
 */
function readAttachments(
  blocks: readonly ImportBlock[],
  end: number,
  bodyStart: number,
): { names: string[]; taken: number[] } | null {
  const paragraphText = (index: number): string | null => {
    const block = blocks[index]
    return block?.kind === 'paragraph' ? compact(block.text) : null
  }
  let k = end
  while (k > bodyStart && NUMBERED_ITEM.test(paragraphText(k) ?? '')) {
    k--
  }
  const headMatch = k >= bodyStart ? ATTACHMENTS_HEAD.exec(paragraphText(k) ?? '') : null
  if (headMatch === null) {
    return null
  }
  const items = Array.from({ length: end - k }, (_, i) => k + 1 + i)
  const names = [(headMatch[1] ?? '').trim(), ...items.map((index) => paragraphText(index) ?? '')]
    .filter((name) => name !== '')
    .map((name) => (NUMBERED_ITEM.exec(name)?.[2] ?? name).trim())
  return names.length > 0 ? { names, taken: [k, ...items] } : null
}

/** @returns the elements found in the blocks */
export function recogniseElements(blocks: readonly ImportBlock[]): RecognisedElements {
  const { meta, taken, bodyStart, classifiedMark } = readHead(blocks)

  // After the body, from the end: the 版记 (a table of its lines, or its lines as paragraphs)…
  let j = blocks.length - 1
  while (j >= bodyStart) {
    const block = blocks[j]
    if (block === undefined || (block.kind !== 'table' && block.kind !== 'paragraph')) {
      break
    }
    const lines = block.kind === 'table' ? (block.lines ?? []) : [block.text]
    const found = readImprint(lines, meta)
    if (found === null) {
      break
    }
    Object.assign(meta, found)
    taken.add(j)
    j--
  }
  // A 附注 in parentheses may sit between the date and the 版记: it stays in the body.
  const note = blocks[j]
  if (note?.kind === 'paragraph' && /^[（(].+[）)]$/.test(compact(note.text)) && j > bodyStart) {
    j--
  }
  const dateBlock = blocks[j]
  if (dateBlock?.kind === 'paragraph' && isDate(compact(dateBlock.text)) && j > bodyStart) {
    meta.writtenDate = compact(dateBlock.text)
    taken.add(j)
    j--
    const signature = blocks[j]
    if (signature?.kind === 'paragraph' && looksLikeName(signature.text) && j > bodyStart) {
      if (meta.issuingAuthority === undefined) {
        meta.issuingAuthority = compact(signature.text)
      }
      taken.add(j)
      j--
    }
    const attachments = readAttachments(blocks, j, bodyStart)
    if (attachments !== null) {
      meta.attachments = attachments.names
      for (const index of attachments.taken) {
        taken.add(index)
      }
    }
  }
  return { meta, taken, classifiedMark }
}
