/**
 * The `meta` Y.Map of a document room (docs: /work/briefs/gongwen-model.md): its keys, their
 * labels, the schema of their values, and the refusal of classified (涉密) documents.
 *
 * @example
 *   GongwenMetaSchema.safeParse({ ...DEFAULT_META, classification: '秘密' }).success // false
 */
import { z } from 'zod'
import { DOC_TYPE_IDS } from './docTypes'
import type { DocTypeId } from './docTypes'
import { MAX_TITLE_LENGTH } from '../limits'

/** The keys of `meta`, in the order a form shows them. */
export const META_KEYS = [
  'docType',
  'title',
  'copyNumber',
  'classification',
  'classificationPeriod',
  'urgency',
  'issuingAuthority',
  'documentNumber',
  'signers',
  'mainRecipients',
  'ccRecipients',
  'attachments',
  'writtenDate',
  'printingAuthority',
  'printDate',
] as const

/** A key of `meta`. */
export type MetaKey = (typeof META_KEYS)[number]

/**
 * The meta keys only the approval flow writes: 签发 fills `signers`, 编号 `documentNumber`, 分发
 * `printDate`. The relay refuses a client's write to them (closing the session, 4403) except
 * setting an empty one to its empty default, so no client code writes them: the form shows them
 * read-only and an import skips them.
 */
export const FLOW_WRITTEN_META_KEYS = ['signers', 'documentNumber', 'printDate'] as const

/** A meta key the approval flow writes. */
export type FlowWrittenMetaKey = (typeof FLOW_WRITTEN_META_KEYS)[number]

/** @returns whether the approval flow, never a client, writes `key` */
export function isFlowWrittenMetaKey(key: string): key is FlowWrittenMetaKey {
  return (FLOW_WRITTEN_META_KEYS as readonly string[]).includes(key)
}

/** Labels of the meta keys: Chinese (the element's name in GB/T 9704) and English. */
export const META_LABELS: Readonly<Record<MetaKey, { readonly zh: string; readonly en: string }>> =
  {
    docType: { zh: '文种', en: 'Document type' },
    title: { zh: '标题', en: 'Title' },
    copyNumber: { zh: '份号', en: 'Copy number' },
    classification: { zh: '密级', en: 'Classification' },
    classificationPeriod: { zh: '保密期限', en: 'Classification period' },
    urgency: { zh: '紧急程度', en: 'Urgency' },
    issuingAuthority: { zh: '发文机关', en: 'Issuing authority' },
    documentNumber: { zh: '发文字号', en: 'Document number' },
    signers: { zh: '签发人', en: 'Signers' },
    mainRecipients: { zh: '主送机关', en: 'Main recipients' },
    ccRecipients: { zh: '抄送机关', en: 'Copied to' },
    attachments: { zh: '附件说明', en: 'Attachments' },
    writtenDate: { zh: '成文日期', en: 'Date of writing' },
    printingAuthority: { zh: '印发机关', en: 'Printing authority' },
    printDate: { zh: '印发日期', en: 'Printing date' },
  }

/** The classified levels (涉密): a document marked with one of them is refused. */
export const CLASSIFIED_LEVELS = ['秘密', '机密', '绝密'] as const

/** A classified level. */
export type ClassifiedLevel = (typeof CLASSIFIED_LEVELS)[number]

/** The only classification the system stores: not classified (非涉密). */
export const UNCLASSIFIED = 'none'

/** The refusal shown when someone marks a document classified (Chinese first). */
export const CLASSIFIED_REFUSAL = '涉密公文不得在本系统中起草或保存，请通过机要渠道办理'

/** English form of CLASSIFIED_REFUSAL. */
export const CLASSIFIED_REFUSAL_EN =
  'Classified documents may not be drafted or stored in this system; use the confidential (机要) channel.'

/** The urgency values (紧急程度). */
export const URGENCY_LEVELS = ['none', '特急', '加急'] as const

/** An urgency value: `none`, 特急 (extra urgent) or 加急 (urgent). */
export type Urgency = (typeof URGENCY_LEVELS)[number]

// Words that mark a level whatever the spacing or decoration (秘密★1年, 机 密, Top Secret).
const CLASSIFIED_WORDS = [...CLASSIFIED_LEVELS, 'secret', 'confidential', 'topsecret']

/**
 * @returns whether a `classification` value marks a classified document. Spaces, the ★ of
 *   "秘密★1年" and letter case do not hide a level.
 */
export function isClassified(value: unknown): boolean {
  if (typeof value !== 'string') {
    return false
  }
  const compact = value.replace(/[\s★☆*]/g, '').toLowerCase()
  return CLASSIFIED_WORDS.some((word) => compact.includes(word))
}

/**
 * Why a stored `classification` value may not be saved, or null when it may. Absent (undefined)
 * and `none` are fine; a classified level is `classified`; anything else is `invalid`.
 */
export function classificationProblem(value: unknown): 'classified' | 'invalid' | null {
  if (value === undefined || value === UNCLASSIFIED) {
    return null
  }
  return isClassified(value) ? 'classified' : 'invalid'
}

/** The meta of a document, as the checker and the form read it. */
export interface GongwenMeta {
  readonly docType: DocTypeId
  readonly title: string
  /** 份号: six digits, or '' when the document is not numbered per copy. */
  readonly copyNumber: string
  /** 密级: `none`; a classified level only ever appears here to be reported and refused. */
  readonly classification: string
  readonly classificationPeriod: string
  readonly urgency: Urgency
  readonly issuingAuthority: string
  /** 发文字号 (or, for 命令, the 令号 第×号) as written. */
  readonly documentNumber: string
  readonly signers: readonly string[]
  readonly mainRecipients: string
  readonly ccRecipients: string
  /** 附件说明: one attachment name per entry, without numbering. */
  readonly attachments: readonly string[]
  /** 成文日期 as written, e.g. 2023年5月6日. */
  readonly writtenDate: string
  readonly printingAuthority: string
  /** 印发日期 as written, e.g. 2023年5月8日 (印发 is added by the layout). */
  readonly printDate: string
}

/** An empty 通知: the values a missing key reads as. */
export const DEFAULT_META: GongwenMeta = {
  docType: 'notice',
  title: '',
  copyNumber: '',
  classification: UNCLASSIFIED,
  classificationPeriod: '',
  urgency: 'none',
  issuingAuthority: '',
  documentNumber: '',
  signers: [],
  mainRecipients: '',
  ccRecipients: '',
  attachments: [],
  writtenDate: '',
  printingAuthority: '',
  printDate: '',
}

const line = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), '不能包含换行 (no line breaks)')

/** Schema of each meta value, for saving: a classified level is refused with the 机要 message. */
export const META_VALUE_SCHEMAS = {
  docType: z.enum(DOC_TYPE_IDS),
  title: z.string().max(MAX_TITLE_LENGTH),
  copyNumber: z.string().regex(/^(\d{6})?$/, '份号应为6位阿拉伯数字 (six digits)'),
  classification: z.string().superRefine((value, ctx) => {
    const problem = classificationProblem(value)
    if (problem !== null) {
      ctx.addIssue({
        code: 'custom',
        message: problem === 'classified' ? CLASSIFIED_REFUSAL : '密级只能为“非涉密” (none only)',
      })
    }
  }),
  classificationPeriod: z.literal('', { message: '非涉密公文不标注保密期限 (no period)' }),
  urgency: z.enum(URGENCY_LEVELS),
  issuingAuthority: z.string().max(200),
  documentNumber: line(64),
  signers: z.array(line(32)).max(20),
  mainRecipients: z.string().max(2000),
  ccRecipients: z.string().max(2000),
  attachments: z.array(line(200)).max(50),
  writtenDate: line(32),
  printingAuthority: line(100),
  printDate: line(32),
} as const satisfies Record<MetaKey, z.ZodType>

/** Schema of a whole meta, for saving. */
export const GongwenMetaSchema = z.object(META_VALUE_SCHEMAS)

/**
 * Validates one meta value before it is written into the room.
 * @returns the value, or the first problem's message (Chinese first).
 */
export function validateMetaValue(
  key: MetaKey,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const result = META_VALUE_SCHEMAS[key].safeParse(value)
  if (result.success) {
    return { ok: true, value: result.data }
  }
  return { ok: false, message: result.error.issues[0]?.message ?? '值无效 (invalid value)' }
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')

/**
 * Reads a meta from raw entries (a Y.Map's toJSON()). Missing or ill-typed values read as their
 * default, except `classification`, whose stored string is kept so a classified mark is reported.
 */
export function readMeta(raw: Readonly<Record<string, unknown>>): GongwenMeta {
  const text = (key: MetaKey, fallback: string): string => {
    const value = raw[key]
    return typeof value === 'string' ? value : fallback
  }
  const list = (key: MetaKey): readonly string[] => {
    const value = raw[key]
    return isStringArray(value) ? value : []
  }
  const docType = META_VALUE_SCHEMAS.docType.safeParse(raw.docType)
  const urgency = META_VALUE_SCHEMAS.urgency.safeParse(raw.urgency)
  return {
    docType: docType.success ? docType.data : DEFAULT_META.docType,
    title: text('title', ''),
    copyNumber: text('copyNumber', ''),
    classification: text('classification', UNCLASSIFIED),
    classificationPeriod: text('classificationPeriod', ''),
    urgency: urgency.success ? urgency.data : 'none',
    issuingAuthority: text('issuingAuthority', ''),
    documentNumber: text('documentNumber', ''),
    signers: list('signers'),
    mainRecipients: text('mainRecipients', ''),
    ccRecipients: text('ccRecipients', ''),
    attachments: list('attachments'),
    writtenDate: text('writtenDate', ''),
    printingAuthority: text('printingAuthority', ''),
    printDate: text('printDate', ''),
  }
}
