/** Checks of the body: heading numbers, the 附件说明 paragraph, the length guard, 报告 wording. */
import { headingPrefix, parseHeadingPrefix } from './headings'
import type { HeadingLevel } from './headings'
import { TRAILING_PUNCTUATION } from './metaRules'
import type { BodyBlock, Violation } from './violations'

/** Body length limits of the 2024 rules on easing grassroots burden (characters). */
export const LENGTH_LIMITS = {
  /** 综合性文件. */
  comprehensive: 5000,
  /** 专项文件 (single topic). */
  single: 4000,
} as const

/** Whether a document is comprehensive or single-topic; unknown warns on both limits. */
export type DocumentScope = 'comprehensive' | 'single' | 'unknown'

// Block types whose text may carry a heading number (not table cells, not code).
const TEXT_BLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading'])
const ATTACHMENT_NOTE = /^[\s\u3000]*附件\s*([:：])\s*/
// The label that opens an attachment page ("附件", "附件2"): heading numbers restart after it.
const ATTACHMENT_PAGE = /^[\s\u3000]*附件\s*[0-9]*\s*$/
const ITEM_NUMBER = /^[\s\u3000]*(?:([0-9]+)\s*([.．、,，])|[（(]([0-9]+)[）)])\s*/

function body(block: BodyBlock, offset: number, length: number) {
  return { kind: 'body', block: block.index, offset, length } as const
}

/** @returns the number of characters the length guard counts (everything but whitespace). */
export function countCharacters(blocks: readonly BodyBlock[]): number {
  let count = 0
  for (const block of blocks) {
    count += block.text.replace(/[\s\u3000]/g, '').length
  }
  return count
}

/** Splits the body into heading-checked blocks and the 附件说明 paragraph with its item lines. */
function attachmentNote(blocks: readonly BodyBlock[]): { start: number; end: number } | null {
  const start = blocks.findIndex((b) => ATTACHMENT_NOTE.test(b.text))
  if (start < 0) {
    return null
  }
  let end = start + 1
  // Further items are the following lines that start with a number (2.××, 3.××).
  while (end < blocks.length && ITEM_NUMBER.test(blocks[end]?.text ?? '')) {
    end++
  }
  return { start, end }
}

/** 附件说明 in the body: 附件：1.×× / 2.××, full-width colon, no trailing punctuation. */
export function checkAttachmentNote(blocks: readonly BodyBlock[]): Violation[] {
  const note = attachmentNote(blocks)
  if (note === null) {
    return []
  }
  const found: Violation[] = []
  const first = blocks[note.start]
  const colon = first === undefined ? null : ATTACHMENT_NOTE.exec(first.text)
  if (first === undefined || colon === null) {
    return []
  }
  if (colon[1] === ':') {
    const offset = colon[0].indexOf(':')
    found.push({
      code: 'attachment_colon',
      severity: 'warning',
      message: '“附件”后使用全角冒号“：”',
      messageEn: 'Use a full-width colon after 附件.',
      target: body(first, offset, 1),
      text: { key: 'attachmentColon', params: {} },
    })
  }
  const items = blocks.slice(note.start, note.end).map((block, i) => ({
    block,
    start: i === 0 ? colon[0].length : 0,
  }))
  items.forEach(({ block, start }, i) => {
    const rest = block.text.slice(start)
    const number = ITEM_NUMBER.exec(rest)
    const several = items.length > 1
    if (several) {
      const value = Number(number?.[1] ?? number?.[3] ?? NaN)
      const wellFormed = number !== null && number[2] === '.' && value === i + 1
      if (!wellFormed) {
        found.push({
          code: 'attachment_numbering',
          severity: 'error',
          message: `多个附件使用阿拉伯数字标注顺序号：此处应为“${i + 1}.”`,
          messageEn: `Number several attachments 1. 2. 3.; this one is ${i + 1}.`,
          target: body(block, start, number?.[0].trimEnd().length ?? 0),
          text: { key: 'attachmentNumbering', params: { n: i + 1 } },
        })
      }
    }
    const text = block.text.trimEnd()
    const tail = TRAILING_PUNCTUATION.exec(text)
    if (tail !== null) {
      found.push({
        code: 'attachment_punctuation',
        severity: 'error',
        message: `附件名称后不加标点符号：删去“${tail[0]}”`,
        messageEn: 'No punctuation after an attachment name.',
        target: body(block, tail.index, tail[0].length),
        text: { key: 'attachmentPunctuation', params: { mark: tail[0] } },
      })
    }
  })
  return found
}

/** Heading numbers 一、（一）1.（1）: the right form, and in sequence under each parent. */
export function checkHeadings(blocks: readonly BodyBlock[]): Violation[] {
  const note = attachmentNote(blocks)
  const found: Violation[] = []
  let counters = [0, 0, 0, 0, 0]
  blocks.forEach((block, position) => {
    if (note !== null && position >= note.start && position < note.end) {
      return
    }
    if (ATTACHMENT_PAGE.test(block.text)) {
      counters = [0, 0, 0, 0, 0]
      return
    }
    if (!TEXT_BLOCKS.has(block.type)) {
      return
    }
    const prefix = parseHeadingPrefix(block.text)
    if (prefix === null) {
      return
    }
    const offset = block.text.indexOf(prefix.written)
    if (!prefix.wellFormed) {
      found.push({
        code: 'heading_form',
        severity: 'error',
        message: `结构层次序数“${prefix.written}”应写作“${prefix.expected}”`,
        messageEn: `Write the heading number ${prefix.written} as ${prefix.expected}.`,
        target: body(block, offset, prefix.written.length),
        text: {
          key: 'headingForm',
          params: { written: prefix.written, expected: prefix.expected },
        },
      })
    }
    const level: HeadingLevel = prefix.level
    const expected = (counters[level] ?? 0) + 1
    if (prefix.number !== expected) {
      const should = headingPrefix(level, expected)
      found.push({
        code: 'heading_sequence',
        severity: 'error',
        message: `序号不连续：此处应为“${should}”`,
        messageEn: `Heading numbers skip or repeat: expected ${should}.`,
        target: body(block, offset, prefix.written.length),
        text: { key: 'headingSequence', params: { expected: should } },
      })
    }
    counters[level] = prefix.number
    for (let deeper = level + 1; deeper <= 4; deeper++) {
      counters[deeper] = 0
    }
  })
  return found
}

/** The length guard: 5000 characters for a comprehensive document, 4000 for a single-topic one. */
export function checkLength(blocks: readonly BodyBlock[], scope: DocumentScope): Violation[] {
  const count = countCharacters(blocks)
  const last = blocks[blocks.length - 1]
  const target = { kind: 'body', block: last?.index ?? 0, offset: 0, length: 0 } as const
  const limit = scope === 'comprehensive' ? LENGTH_LIMITS.comprehensive : LENGTH_LIMITS.single
  if (count <= limit) {
    return []
  }
  if (scope === 'unknown' && count <= LENGTH_LIMITS.comprehensive) {
    return [
      {
        code: 'length_exceeded',
        severity: 'warning',
        message: `正文${count}字，超过专项文件4000字的篇幅要求（综合性文件不超过5000字），请精简`,
        messageEn: `${count} characters: over the 4000 of a single-topic document (5000 if comprehensive).`,
        target,
        text: { key: 'lengthSingleTopic', params: { count } },
      },
    ]
  }
  const kind = limit === LENGTH_LIMITS.comprehensive ? '综合性文件' : '专项文件'
  return [
    {
      code: 'length_exceeded',
      severity: 'warning',
      message: `正文${count}字，超过${kind}${limit}字的篇幅要求，请精简`,
      messageEn: `${count} characters: over the limit of ${limit}.`,
      target,
      text: { key: 'lengthExceeded', params: { count, kind, limit } },
    },
  ]
}

const REQUEST_PHRASES = [
  '妥否',
  '请批示',
  '请审批',
  '请批准',
  '请予批准',
  '请审定',
  '请核准',
  '请予审批',
]

/** A 报告 carries no request for instructions (报告中不得夹带请示事项). */
export function checkReportHasNoRequest(blocks: readonly BodyBlock[]): Violation[] {
  for (const block of blocks) {
    for (const phrase of REQUEST_PHRASES) {
      const offset = block.text.indexOf(phrase)
      if (offset >= 0) {
        return [
          {
            code: 'report_contains_request',
            severity: 'warning',
            message: `报告中不得夹带请示事项（“${phrase}”）；需要批示的事项请另行请示`,
            messageEn: 'A report must not ask for instructions; send a request instead.',
            target: body(block, offset, phrase.length),
            text: { key: 'reportContainsRequest', params: { phrase } },
          },
        ]
      }
    }
  }
  return []
}
