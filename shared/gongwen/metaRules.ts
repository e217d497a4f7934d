/** Checks of the meta fields: 密级, 发文字号, dates, 份号, 附件说明 entries, 签发人, 主送, 标题. */
import { docTypeById, titleEndings } from './docTypes'
import { CLASSIFIED_REFUSAL, CLASSIFIED_REFUSAL_EN, classificationProblem } from './meta'
import type { GongwenMeta, MetaKey } from './meta'
import type { Violation, ViolationCode, ViolationTarget, ViolationText } from './violations'

function meta(
  field: MetaKey,
  extra: Omit<Extract<ViolationTarget, { kind: 'meta' }>, 'kind' | 'field'> = {},
): ViolationTarget {
  return { kind: 'meta', field, ...extra }
}

function violation(
  code: ViolationCode,
  severity: Violation['severity'],
  message: string,
  messageEn: string,
  target: ViolationTarget,
  text: ViolationText,
): Violation {
  return { code, severity, message, messageEn, target, text }
}

/** @returns a violation's translation key and parameters */
function text(key: string, params: ViolationText['params'] = {}): ViolationText {
  return { key, params }
}

/** 密级: only `none` may be saved; a classified level gets the 机要 message. */
export function checkClassification(m: GongwenMeta): Violation[] {
  const problem = classificationProblem(m.classification)
  if (problem === 'classified') {
    return [
      violation(
        'classified',
        'error',
        CLASSIFIED_REFUSAL,
        CLASSIFIED_REFUSAL_EN,
        meta('classification'),
        text('classified'),
      ),
    ]
  }
  if (problem === 'invalid') {
    return [
      violation(
        'classification_invalid',
        'error',
        '密级只能为“非涉密”',
        'Classification must be "none" (unclassified).',
        meta('classification'),
        text('classificationInvalid'),
      ),
    ]
  }
  return []
}

// 机关代字, the year in some brackets, an optional 第, the number, 号.
const NUMBER_LOOSE =
  /^(.*?)\s*([〔［[【（(])\s*([0-9]{1,4})\s*([〕］\]】）)])\s*(第?)\s*([0-9]+)\s*号$/d

/** 发文字号: 机关代字〔2023〕5号 — full year in 六角括号, no leading zeros, no 第. 命令: 第5号. */
export function checkDocumentNumber(m: GongwenMeta): Violation[] {
  const value = m.documentNumber.trim()
  if (value === '') {
    return []
  }
  const field = 'documentNumber'
  if (m.docType === 'order') {
    const order = /^第([0-9]+)号$/.exec(value)
    if (order === null) {
      return [
        violation(
          'document_number_form',
          'error',
          '令号应写作“第×号”，如“第5号”',
          'An order number reads 第5号.',
          meta(field),
          text('orderNumberForm'),
        ),
      ]
    }
    return order[1]?.startsWith('0') === true
      ? [
          violation(
            'document_number_leading_zero',
            'error',
            `令号不编虚位：应为“第${Number(order[1])}号”`,
            `No leading zeros: 第${Number(order[1])}号.`,
            meta(field, { offset: 1, length: order[1].length }),
            text('orderNumberLeadingZero', { number: Number(order[1]) }),
          ),
        ]
      : []
  }
  const match = NUMBER_LOOSE.exec(value)
  const formMessage = '发文字号应由机关代字、年份和发文顺序号组成，如“鲁政发〔2023〕5号”'
  const formEn =
    'A document number reads agency code + 〔year〕 + number + 号, e.g. 鲁政发〔2023〕5号.'
  if (match === null) {
    return [
      violation(
        'document_number_form',
        'error',
        formMessage,
        formEn,
        meta(field),
        text('documentNumberForm'),
      ),
    ]
  }
  const [, code = '', open = '', year = '', close = '', di = '', serial = ''] = match
  const at = (group: number): { offset: number; length: number } => {
    const span = match.indices?.[group] ?? [0, value.length]
    return { offset: span[0], length: span[1] - span[0] }
  }
  const found: Violation[] = []
  if (code.trim() === '') {
    found.push(
      violation(
        'document_number_form',
        'error',
        formMessage,
        formEn,
        meta(field),
        text('documentNumberForm'),
      ),
    )
  }
  if (open !== '〔' || close !== '〕') {
    found.push(
      violation(
        'document_number_brackets',
        'error',
        `年份应使用六角括号“〔〕”，不用“${open}${close}”：如“${code}〔${year}〕${Number(serial)}号”`,
        `Put the year in 六角括号 〔〕, not ${open}${close}.`,
        meta(field, at(open === '〔' ? 4 : 2)),
        text('documentNumberBrackets', { open, close, code, year, serial: Number(serial) }),
      ),
    )
  }
  if (year.length !== 4) {
    found.push(
      violation(
        'document_number_form',
        'error',
        '年份应标全称，如“2023”',
        'Write the year in full, e.g. 2023.',
        meta(field, at(3)),
        text('documentNumberYear'),
      ),
    )
  }
  if (di !== '') {
    found.push(
      violation(
        'document_number_di',
        'error',
        '发文顺序号前不加“第”字',
        'No 第 before the number.',
        meta(field, at(5)),
        text('documentNumberDi'),
      ),
    )
  }
  if (serial.startsWith('0')) {
    const plain = String(Number(serial))
    found.push(
      violation(
        'document_number_leading_zero',
        'error',
        Number(serial) === 0
          ? '发文顺序号从1开始'
          : `发文顺序号不编虚位：应为“${plain}号”，不写“${serial}号”`,
        Number(serial) === 0
          ? 'Numbers start at 1.'
          : `No leading zeros: ${plain}号, not ${serial}号.`,
        meta(field, at(6)),
        Number(serial) === 0
          ? text('documentNumberZero')
          : text('documentNumberLeadingZero', { plain, serial }),
      ),
    )
  }
  return found
}

const DATE = /^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$/
const DATE_NUMERIC = /^([0-9]{2,4})\s*[-/.．—]\s*([0-9]{1,2})\s*[-/.．—]\s*([0-9]{1,2})$/

/** @returns the date as [year, month, day] when it is written in the standard form, else null. */
export function parseWrittenDate(value: string): [number, number, number] | null {
  const match = DATE.exec(value.trim())
  return match === null ? null : [Number(match[1]), Number(match[2]), Number(match[3])]
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

/** A date field: 2023年5月6日 in Arabic numerals, year in full, no leading zeros. */
export function checkDate(field: 'writtenDate' | 'printDate', raw: string): Violation[] {
  const name = field === 'writtenDate' ? '成文日期' : '印发日期'
  // 印发日期 is printed followed by 印发; accept it stored either way.
  const value = (field === 'printDate' ? raw.replace(/\s*印发$/, '') : raw).trim()
  if (value === '') {
    return []
  }
  const match = DATE.exec(value)
  if (match !== null) {
    const [, y = '', mo = '', d = ''] = match
    if (mo.startsWith('0') || d.startsWith('0')) {
      const fixed = `${y}年${Number(mo)}月${Number(d)}日`
      return [
        violation(
          'date_leading_zero',
          'error',
          `${name}的月、日不编虚位：应为“${fixed}”`,
          `No leading zeros: ${fixed}.`,
          meta(field),
          text('dateLeadingZero', { name, fixed }),
        ),
      ]
    }
    if (!isRealDate(Number(y), Number(mo), Number(d))) {
      return [
        violation(
          'date_invalid',
          'error',
          `${name}“${value}”不是有效日期`,
          `${value} is not a real date.`,
          meta(field),
          text('dateInvalid', { name, value }),
        ),
      ]
    }
    return []
  }
  const numeric = DATE_NUMERIC.exec(value)
  const example =
    numeric !== null && numeric[1]?.length === 4
      ? `${numeric[1]}年${Number(numeric[2])}月${Number(numeric[3])}日`
      : '2023年5月6日'
  return [
    violation(
      'date_form',
      'error',
      `${name}应使用阿拉伯数字将年、月、日标全，写作“${example}”`,
      `Write the date with Arabic numerals, year, month and day in full: ${example}.`,
      meta(field),
      text('dateForm', { name, example }),
    ),
  ]
}

/** 印发日期 is not before 成文日期. */
export function checkDateOrder(m: GongwenMeta): Violation[] {
  const written = parseWrittenDate(m.writtenDate)
  const printed = parseWrittenDate(m.printDate.replace(/\s*印发$/, ''))
  if (written === null || printed === null) {
    return []
  }
  const key = ([y, mo, d]: [number, number, number]) => y * 10_000 + mo * 100 + d
  return key(printed) < key(written)
    ? [
        violation(
          'print_date_before_written',
          'warning',
          '印发日期早于成文日期',
          'The printing date is before the date of writing.',
          meta('printDate'),
          text('printDateBeforeWritten'),
        ),
      ]
    : []
}

/** 份号: six Arabic digits. */
export function checkCopyNumber(m: GongwenMeta): Violation[] {
  return m.copyNumber === '' || /^[0-9]{6}$/.test(m.copyNumber)
    ? []
    : [
        violation(
          'copy_number_form',
          'error',
          '份号应为6位阿拉伯数字，如“000001”',
          'A copy number is six digits, e.g. 000001.',
          meta('copyNumber'),
          text('copyNumberForm'),
        ),
      ]
}

/** Punctuation an attachment name must not end with. */
export const TRAILING_PUNCTUATION = /[。，、；：！？,.;:!?…]+$/
const ENTRY_NUMBER = /^\s*(?:[0-9]+\s*[.．、]|[（(][0-9]+[）)]|[一二三四五六七八九十]+\s*[、.．])/

/** 附件说明 entries: names without trailing punctuation and without their own numbers. */
export function checkAttachmentEntries(m: GongwenMeta): Violation[] {
  const found: Violation[] = []
  m.attachments.forEach((name, item) => {
    const tail = TRAILING_PUNCTUATION.exec(name)
    if (tail !== null) {
      found.push(
        violation(
          'attachment_punctuation',
          'error',
          `附件名称后不加标点符号：删去“${tail[0]}”`,
          'No punctuation after an attachment name.',
          meta('attachments', { item, offset: tail.index, length: tail[0].length }),
          text('attachmentPunctuation', { mark: tail[0] }),
        ),
      )
    }
    const number = ENTRY_NUMBER.exec(name)
    if (number !== null) {
      found.push(
        violation(
          'attachment_numbering',
          'warning',
          '附件名称前不写序号：有多个附件时系统按“1.”“2.”自动编号',
          'Leave numbers out of attachment names; several are numbered 1. 2. automatically.',
          meta('attachments', { item, offset: 0, length: number[0].length }),
          text('attachmentOwnNumber'),
        ),
      )
    }
  })
  return found
}

/** 请示 and other upward documents: 签发人, and a 请示 has one 主送机关. Titles end with the 文种. */
export function checkTypeRules(m: GongwenMeta): Violation[] {
  const type = docTypeById(m.docType)
  if (type === undefined) {
    return []
  }
  const found: Violation[] = []
  if (type.direction === 'upward' && m.signers.every((s) => s.trim() === '')) {
    found.push(
      violation(
        'signer_missing',
        'warning',
        '上行文应当标注签发人姓名',
        'Upward documents name their signer.',
        meta('signers'),
        text('signerMissing'),
      ),
    )
  }
  if (
    type.id === 'request' &&
    m.mainRecipients.split(/[、，,；;\s]+/).filter((s) => s !== '').length > 1
  ) {
    found.push(
      violation(
        'request_recipients',
        'warning',
        '请示应当一文一事，只主送一个上级机关',
        'A request goes to one superior agency only.',
        meta('mainRecipients'),
        text('requestRecipients'),
      ),
    )
  }
  const title = m.title.trim()
  if (
    title !== '' &&
    type.format !== 'order' &&
    !titleEndings(type).some((end) => title.endsWith(end))
  ) {
    found.push(
      violation(
        'title_doc_type',
        'warning',
        `标题应以文种“${type.zh}”结尾`,
        `The title should end with ${type.zh}.`,
        meta('title'),
        text('titleDocType', { docType: type.zh }),
      ),
    )
  }
  return found
}
