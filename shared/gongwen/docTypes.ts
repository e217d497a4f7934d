/**
 * The 15 文种 (document types) of 《党政机关公文处理工作条例》 (中办发〔2012〕14号), with the layout
 * format GB/T 9704-2012 gives each one.
 *
 * @example
 *   docTypeById('notice')?.zh // '通知'
 */

/** The layout format a document type is printed in (GB/T 9704 §7 and §10). */
export type DocFormat =
  /** The ordinary 文件格式: masthead, red separator, title, body, 版记. */
  | 'standard'
  /** 信函格式: masthead 30 mm from the paper's top edge, red double rules, no page number on page 1. */
  | 'letter'
  /** 命令（令）格式: masthead ××××令 20 mm below the type area's top, 令号 instead of 发文字号. */
  | 'order'
  /** 纪要格式: masthead ××××纪要, 出席/请假/列席 labels in 黑体, no seal. */
  | 'minutes'

/** Which way a document travels, which decides where 发文字号 and 签发人 go. */
export type DocDirection =
  /** 上行文: to a superior; carries 签发人, 发文字号 flush left. */
  | 'upward'
  /** 下行文: to subordinates. */
  | 'downward'
  /** 平行文: between agencies of no hierarchy. */
  | 'parallel'
  /** Any of the above, depending on use (意见, 纪要). */
  | 'any'

/** One document type. */
export interface DocType {
  /** Stable id stored in `meta.docType`. */
  readonly id: DocTypeId
  /** Chinese name, as it ends a title (通知). */
  readonly zh: string
  /** English name. */
  readonly en: string
  readonly format: DocFormat
  readonly direction: DocDirection
}

/** Ids of the 15 document types, in the order the 条例 lists them. */
export const DOC_TYPE_IDS = [
  'resolution',
  'decision',
  'order',
  'communique',
  'announcement',
  'publicNotice',
  'opinion',
  'notice',
  'circular',
  'report',
  'request',
  'reply',
  'motion',
  'letter',
  'minutes',
] as const

/** A document type id. */
export type DocTypeId = (typeof DOC_TYPE_IDS)[number]

/** The 15 document types, in the order the 条例 lists them. */
export const DOC_TYPES: readonly DocType[] = [
  { id: 'resolution', zh: '决议', en: 'Resolution', format: 'standard', direction: 'downward' },
  { id: 'decision', zh: '决定', en: 'Decision', format: 'standard', direction: 'downward' },
  { id: 'order', zh: '命令（令）', en: 'Order', format: 'order', direction: 'downward' },
  { id: 'communique', zh: '公报', en: 'Communiqué', format: 'standard', direction: 'downward' },
  { id: 'announcement', zh: '公告', en: 'Announcement', format: 'standard', direction: 'downward' },
  {
    id: 'publicNotice',
    zh: '通告',
    en: 'Public notice',
    format: 'standard',
    direction: 'downward',
  },
  { id: 'opinion', zh: '意见', en: 'Opinions', format: 'standard', direction: 'any' },
  { id: 'notice', zh: '通知', en: 'Notice', format: 'standard', direction: 'downward' },
  { id: 'circular', zh: '通报', en: 'Circular', format: 'standard', direction: 'downward' },
  { id: 'report', zh: '报告', en: 'Report', format: 'standard', direction: 'upward' },
  {
    id: 'request',
    zh: '请示',
    en: 'Request for instructions',
    format: 'standard',
    direction: 'upward',
  },
  { id: 'reply', zh: '批复', en: 'Official reply', format: 'standard', direction: 'downward' },
  { id: 'motion', zh: '议案', en: 'Motion', format: 'standard', direction: 'upward' },
  { id: 'letter', zh: '函', en: 'Letter', format: 'letter', direction: 'parallel' },
  { id: 'minutes', zh: '纪要', en: 'Minutes', format: 'minutes', direction: 'any' },
]

const BY_ID: ReadonlyMap<string, DocType> = new Map(DOC_TYPES.map((t) => [t.id, t]))

/** @returns whether `value` is one of the 15 document type ids. */
export function isDocTypeId(value: unknown): value is DocTypeId {
  return typeof value === 'string' && BY_ID.has(value)
}

/** @returns the document type with this id, or undefined. */
export function docTypeById(id: string): DocType | undefined {
  return BY_ID.get(id)
}

/**
 * @returns the words a title of this type ends with (命令 titles end with 令 or 命令; the others
 *   with their name).
 */
export function titleEndings(type: DocType): readonly string[] {
  return type.id === 'order' ? ['命令', '令'] : [type.zh]
}
