import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_TYPES, DOC_TYPE_IDS, docTypeById, isDocTypeId } from '../../../shared/gongwen/docTypes'
import {
  CLASSIFIED_LEVELS,
  CLASSIFIED_REFUSAL,
  DEFAULT_META,
  GongwenMetaSchema,
  META_KEYS,
  META_LABELS,
  classificationProblem,
  readMeta,
  validateMetaValue,
} from '../../../shared/gongwen/meta'
import { templateFor } from '../../../shared/gongwen/templates'
import { checkDocument } from '../../../shared/gongwen/checker'
import { readBodyBlocks, seedFromTemplate } from '../../../shared/gongwen/yBody'
import {
  HEADING_LEVELS,
  headingPrefix,
  numberHeadings,
  parseChineseNumeral,
  parseHeadingPrefix,
  toChineseNumeral,
} from '../../../shared/gongwen/headings'
import {
  CHAR_PITCH_PT,
  FONT_STACKS,
  LAYOUT,
  LINE_PITCH_PT,
  TITLE_CHARS_PER_LINE,
} from '../../../shared/gongwen/layout'

describe('document types', () => {
  test('the 15 types of the 条例, with the special 信函, 命令 and 纪要 formats', () => {
    expect(DOC_TYPES.map((t) => t.zh).join(' ')).toBe(
      '决议 决定 命令（令） 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要',
    )
    expect(new Set(DOC_TYPE_IDS).size).toBe(15)
    expect(DOC_TYPES.filter((t) => t.format !== 'standard').map((t) => [t.id, t.format])).toEqual([
      ['order', 'order'],
      ['letter', 'letter'],
      ['minutes', 'minutes'],
    ])
    expect(docTypeById('notice')?.en).toBe('Notice')
    expect(isDocTypeId('request')).toBe(true)
    expect(isDocTypeId('memo')).toBe(false)
  })
})

describe('meta', () => {
  test('every key has a Chinese and an English label', () => {
    for (const key of META_KEYS) {
      expect(META_LABELS[key].zh).toMatch(/\p{Script=Han}/u)
      expect(META_LABELS[key].en).toMatch(/[A-Za-z]/)
    }
    expect(META_LABELS.documentNumber.zh).toBe('发文字号')
  })

  test('a 秘密 document cannot be saved: the schema refuses it with the 机要 message', () => {
    expect(GongwenMetaSchema.safeParse(DEFAULT_META).success).toBe(true)
    for (const level of CLASSIFIED_LEVELS) {
      const result = GongwenMetaSchema.safeParse({ ...DEFAULT_META, classification: level })
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]?.message).toBe(CLASSIFIED_REFUSAL)
      expect(validateMetaValue('classification', level)).toEqual({
        ok: false,
        message: CLASSIFIED_REFUSAL,
      })
    }
    expect(CLASSIFIED_REFUSAL).toContain('机要')
    for (const disguised of ['秘 密', '机密★10年', 'SECRET', 'Top Secret']) {
      expect(classificationProblem(disguised)).toBe('classified')
    }
    expect(classificationProblem(undefined)).toBeNull()
    expect(classificationProblem('none')).toBeNull()
    expect(classificationProblem('公开')).toBe('invalid')
  })

  test('values are checked one by one before they are written', () => {
    expect(validateMetaValue('copyNumber', '000123')).toEqual({ ok: true, value: '000123' })
    expect(validateMetaValue('copyNumber', '123').ok).toBe(false)
    expect(validateMetaValue('urgency', '特急').ok).toBe(true)
    expect(validateMetaValue('urgency', '很急').ok).toBe(false)
    expect(validateMetaValue('docType', 'minutes').ok).toBe(true)
    expect(validateMetaValue('signers', ['张三', 7]).ok).toBe(false)
    expect(validateMetaValue('documentNumber', '鲁政发\n〔2023〕5号').ok).toBe(false)
  })

  test('reading raw entries falls back to defaults but keeps a classified mark visible', () => {
    const meta = readMeta({
      docType: 'bogus',
      title: 5,
      signers: ['张三', 1],
      classification: '机密',
    })
    expect(meta.docType).toBe('notice')
    expect(meta.title).toBe('')
    expect(meta.signers).toEqual([])
    expect(meta.classification).toBe('机密')
  })
})

describe('heading numbers', () => {
  test('Chinese numerals round-trip from 一 to 九十九', () => {
    for (let n = 1; n <= 99; n++) {
      expect(parseChineseNumeral(toChineseNumeral(n))).toBe(n)
    }
    expect(toChineseNumeral(10)).toBe('十')
    expect(toChineseNumeral(21)).toBe('二十一')
    expect(parseChineseNumeral('一二')).toBeNull()
    expect(() => toChineseNumeral(100)).toThrow(RangeError)
  })

  test('prefixes per level, parsing with the fix for wrong forms, and renumbering', () => {
    expect(HEADING_LEVELS.map((l) => headingPrefix(l, 12))).toEqual([
      '十二、',
      '（十二）',
      '12.',
      '（12）',
    ])
    expect(parseHeadingPrefix('(二)工作要求')).toMatchObject({
      level: 2,
      number: 2,
      wellFormed: false,
      expected: '（二）',
    })
    expect(parseHeadingPrefix('3、落实')).toMatchObject({
      level: 3,
      wellFormed: false,
      expected: '3.',
    })
    expect(parseHeadingPrefix('3．落实')).toMatchObject({ level: 3, wellFormed: true })
    expect(parseHeadingPrefix('（一）、要求')).toMatchObject({ level: 2, wellFormed: false })
    expect(parseHeadingPrefix('十分重要')).toBeNull()
    expect(parseHeadingPrefix('1.5亿元')).toBeNull()
    expect(numberHeadings([1, 2, 2, 3, 4, 1, 3, 2])).toEqual([
      '一、',
      '（一）',
      '（二）',
      '1.',
      '（1）',
      '二、',
      '1.',
      '（一）',
    ])
  })
})

describe('layout', () => {
  test('A4 with the GB/T 9704 margins gives the 156 × 225 mm type area and its grid', () => {
    const { paper, margins, typeArea } = LAYOUT
    expect(paper.width - margins.left - margins.right).toBe(typeArea.width)
    expect(paper.height - margins.top - margins.bottom).toBe(typeArea.height)
    expect(LINE_PITCH_PT).toBeCloseTo(29, 0)
    expect(CHAR_PITCH_PT).toBeCloseTo(15.8, 1)
    expect(TITLE_CHARS_PER_LINE).toBe(20)
    expect(FONT_STACKS.fangsong.startsWith('"仿宋_GB2312"')).toBe(true)
    expect(FONT_STACKS.fangsong).toMatch(/serif$/)
    expect(FONT_STACKS.xiaobiaosong).toContain('方正小标宋')
  })
})

describe('templates', () => {
  test('every type has a template that passes the checker without errors', () => {
    for (const id of DOC_TYPE_IDS) {
      const template = templateFor(id, { issuingAuthority: '山东省人民政府' })
      expect(template.meta.docType).toBe(id)
      expect(template.blocks.length).toBeGreaterThan(0)
      expect(GongwenMetaSchema.safeParse(template.meta).success).toBe(true)
      const blocks = template.blocks.map((b, index) => ({ index, ...b }))
      const errors = checkDocument(template.meta, blocks).filter((v) => v.severity === 'error')
      expect(errors, id).toEqual([])
    }
  })

  test('the special formats: 纪要 lists 出席/请假/列席, 命令 has no title, a given title wins', () => {
    const minutes = templateFor('minutes').blocks.map((b) => b.text)
    expect(minutes.some((t) => t.startsWith('出席：'))).toBe(true)
    expect(minutes.some((t) => t.startsWith('列席：'))).toBe(true)
    expect(templateFor('order').meta.title).toBe('')
    expect(templateFor('notice', { title: '关于放假的通知' }).meta.title).toBe('关于放假的通知')
    expect(templateFor('notice').meta.mainRecipients.endsWith('：')).toBe(false)
  })

  test('a template seeds an empty room once, and the body reads back as blocks', () => {
    const doc = new Y.Doc()
    expect(seedFromTemplate(doc, templateFor('opinion'))).toBe(true)
    expect(seedFromTemplate(doc, templateFor('notice'))).toBe(false)
    expect(doc.getMap('meta').get('docType')).toBe('opinion')
    const blocks = readBodyBlocks(doc.getXmlFragment('body'))
    expect(blocks.map((b) => b.text)).toEqual(templateFor('opinion').blocks.map((b) => b.text))
    expect(blocks[1]).toEqual({ index: 1, type: 'heading', level: 1, text: '一、总体要求' })
    expect(doc.getXmlFragment('body').toString()).toContain('<heading level="1">')
  })

  test('table cell paragraphs read as cells, hard breaks as newlines', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('body')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('甲'), new Y.XmlElement('hardBreak'), new Y.XmlText('乙')])
    const cellParagraph = new Y.XmlElement('paragraph')
    cellParagraph.insert(0, [new Y.XmlText('三、表内')])
    const cell = new Y.XmlElement('tableCell')
    cell.insert(0, [cellParagraph])
    const row = new Y.XmlElement('tableRow')
    row.insert(0, [cell])
    const table = new Y.XmlElement('table')
    table.insert(0, [row])
    fragment.insert(0, [paragraph, table])
    expect(readBodyBlocks(fragment)).toEqual([
      { index: 0, type: 'paragraph', text: '甲\n乙' },
      { index: 1, type: 'tableCell', text: '三、表内' },
    ])
  })
})
