import { describe, expect, test } from 'vitest'
import { checkDocument } from '../../../shared/gongwen/checker'
import type { BodyBlock, Violation } from '../../../shared/gongwen/checker'
import { DEFAULT_META, CLASSIFIED_REFUSAL } from '../../../shared/gongwen/meta'
import type { GongwenMeta } from '../../../shared/gongwen/meta'
import { estimateFirstPage } from '../../../shared/gongwen/firstPage'

const good: GongwenMeta = {
  ...DEFAULT_META,
  docType: 'notice',
  title: '山东省人民政府关于做好2023年防汛工作的通知',
  issuingAuthority: '山东省人民政府',
  documentNumber: '鲁政发〔2023〕5号',
  mainRecipients: '各市人民政府，省政府各部门、各直属机构',
  writtenDate: '2023年5月6日',
  printingAuthority: '山东省人民政府办公厅',
  printDate: '2023年5月8日',
}

function blocks(...texts: (string | [string, string])[]): BodyBlock[] {
  return texts.map((t, index) =>
    typeof t === 'string'
      ? { index, type: 'paragraph', text: t }
      : { index, type: t[0], text: t[1] },
  )
}

const body = blocks(
  '为做好今年防汛工作，现将有关事项通知如下：',
  ['heading', '一、提高思想认识'],
  ['heading', '（一）压实责任。各级各部门要落实责任。'],
  ['heading', '（二）加强值守。'],
  ['heading', '1.严格执行24小时值班制度。'],
  ['heading', '（1）值班人员在岗在位。'],
  ['heading', '（2）信息及时报送。'],
  ['heading', '2.加强巡查。'],
  ['heading', '二、强化保障'],
  '特此通知。',
  '附件：1.防汛责任人名单',
  '2.应急物资清单',
)

const codes = (violations: Violation[]) => violations.map((v) => v.code)

describe('the GB/T 9704 checker', () => {
  test('a well-formed notice has nothing to report', () => {
    expect(checkDocument(good, body)).toEqual([])
  })

  test('flags 鲁政发〔2023〕05号 for its leading zero and points at the number', () => {
    const found = checkDocument({ ...good, documentNumber: '鲁政发〔2023〕05号' }, body)
    expect(codes(found)).toEqual(['document_number_leading_zero'])
    expect(found[0]?.severity).toBe('error')
    expect(found[0]?.message).toContain('5号')
    expect(found[0]?.target).toEqual({
      kind: 'meta',
      field: 'documentNumber',
      offset: 9,
      length: 2,
    })
  })

  test('flags the year in [] or （） instead of 六角括号, and 第 before the number', () => {
    for (const bad of ['鲁政发[2023]5号', '鲁政发（2023）5号', '鲁政发【2023】5号']) {
      expect(codes(checkDocument({ ...good, documentNumber: bad }, body))).toEqual([
        'document_number_brackets',
      ])
    }
    expect(codes(checkDocument({ ...good, documentNumber: '鲁政发〔2023〕第5号' }, body))).toEqual([
      'document_number_di',
    ])
    expect(codes(checkDocument({ ...good, documentNumber: '鲁政发〔23〕5号' }, body))).toEqual([
      'document_number_form',
    ])
    expect(codes(checkDocument({ ...good, documentNumber: '2023年5号文' }, body))).toEqual([
      'document_number_form',
    ])
  })

  test('an order carries a 令号 第5号, not a 发文字号', () => {
    const order: GongwenMeta = { ...good, docType: 'order', title: '', mainRecipients: '' }
    expect(checkDocument({ ...order, documentNumber: '第5号' }, body)).toEqual([])
    expect(codes(checkDocument({ ...order, documentNumber: '第05号' }, body))).toEqual([
      'document_number_leading_zero',
    ])
    expect(codes(checkDocument({ ...order, documentNumber: '鲁政令〔2023〕5号' }, body))).toEqual([
      'document_number_form',
    ])
  })

  test('flags a 成文日期 written 2023-5-6 and suggests 2023年5月6日', () => {
    const found = checkDocument({ ...good, writtenDate: '2023-5-6' }, body)
    expect(codes(found)).toEqual(['date_form'])
    expect(found[0]?.message).toContain('2023年5月6日')
    expect(found[0]?.target).toEqual({ kind: 'meta', field: 'writtenDate' })
  })

  test('flags leading zeros, Chinese numerals and impossible dates', () => {
    expect(codes(checkDocument({ ...good, writtenDate: '2023年05月06日' }, body))).toEqual([
      'date_leading_zero',
    ])
    expect(codes(checkDocument({ ...good, writtenDate: '二〇二三年五月六日' }, body))).toEqual([
      'date_form',
    ])
    expect(codes(checkDocument({ ...good, writtenDate: '2023/5/6' }, body))).toEqual(['date_form'])
    expect(codes(checkDocument({ ...good, writtenDate: '2023年2月30日' }, body))).toEqual([
      'date_invalid',
    ])
    expect(codes(checkDocument({ ...good, printDate: '2023年5月1日印发' }, body))).toEqual([
      'print_date_before_written',
    ])
  })

  test('refuses a classified document with the 机要 message', () => {
    for (const level of ['秘密', '机密', '绝密', '秘密★1年']) {
      const found = checkDocument({ ...good, classification: level }, body)
      expect(codes(found)).toEqual(['classified'])
      expect(found[0]?.message).toBe(CLASSIFIED_REFUSAL)
      expect(found[0]?.message).toContain('机要')
    }
    expect(codes(checkDocument({ ...good, classification: '内部' }, body))).toEqual([
      'classification_invalid',
    ])
  })

  test('附件说明: no trailing punctuation, numbering 1. 2. when several', () => {
    const found = checkDocument(
      good,
      blocks('正文。', '附件：1、防汛责任人名单；', '2.应急物资清单。'),
    )
    expect(codes(found)).toEqual([
      'attachment_numbering',
      'attachment_punctuation',
      'attachment_punctuation',
    ])
    expect(found[0]?.target).toEqual({ kind: 'body', block: 1, offset: 3, length: 2 })
    expect(found[1]?.target).toEqual({ kind: 'body', block: 1, offset: 12, length: 1 })
    expect(codes(checkDocument(good, blocks('正文。', '附件:防汛责任人名单')))).toEqual([
      'attachment_colon',
    ])
    const entries = checkDocument(
      { ...good, attachments: ['防汛责任人名单。', '2.物资清单'] },
      body,
    )
    expect(codes(entries)).toEqual(['attachment_punctuation', 'attachment_numbering'])
    expect(entries[0]?.target).toMatchObject({ field: 'attachments', item: 0 })
  })

  test('heading numbers follow 一、（一）1.（1） in sequence under each parent', () => {
    const found = checkDocument(
      good,
      blocks(
        '一、总体要求',
        '(一)指导思想',
        '（三）主要目标',
        '1、任务',
        '三、保障',
        '（一）组织保障',
        '（1）其中一项',
      ),
    )
    expect(found.map((v) => [v.code, v.target.kind === 'body' ? v.target.block : -1])).toEqual([
      ['heading_form', 1],
      ['heading_sequence', 2],
      ['heading_form', 3],
      ['heading_sequence', 4],
    ])
    expect(found[0]?.message).toContain('（一）')
    expect(found[1]?.message).toContain('（二）')
    expect(found[3]?.message).toContain('二、')
  })

  test('numbers in running text and table cells are not headings', () => {
    const found = checkDocument(
      good,
      blocks('2023年全省投入1.5亿元。', ['tableCell', '三、表内序号'], '一、第一部分'),
    )
    expect(found).toEqual([])
  })

  test('the length guard warns past 4000 characters, and past 5000 for comprehensive ones', () => {
    const long = blocks('字'.repeat(2200), '文'.repeat(2200))
    const found = checkDocument(good, long)
    expect(codes(found)).toEqual(['length_exceeded'])
    expect(found[0]?.severity).toBe('warning')
    expect(found[0]?.message).toContain('4400')
    expect(checkDocument(good, long, { scope: 'comprehensive' })).toEqual([])
    expect(codes(checkDocument(good, long, { scope: 'single' }))).toEqual(['length_exceeded'])
    expect(
      codes(checkDocument(good, blocks('字'.repeat(5001)), { scope: 'comprehensive' })),
    ).toEqual(['length_exceeded'])
    expect(checkDocument(good, blocks('字'.repeat(3990), '  \n  '))).toEqual([])
  })

  test('page 1 must show body text: a huge 主送 list pushes the body off it', () => {
    expect(estimateFirstPage(good).bodyLines).toBeGreaterThanOrEqual(7)
    const crowded = { ...good, mainRecipients: '某某县人民政府、'.repeat(30) }
    expect(estimateFirstPage(crowded).bodyLines).toBe(0)
    const found = checkDocument(crowded, body)
    expect(codes(found)).toEqual(['first_page_no_body'])
    expect(found[0]?.target).toEqual({ kind: 'meta', field: 'mainRecipients' })
    // The letter format puts its masthead in the top margin, leaving more room.
    const letter = { ...good, docType: 'letter' as const, title: '山东省人民政府关于商请支持的函' }
    expect(estimateFirstPage(letter).bodyLines).toBeGreaterThan(estimateFirstPage(good).bodyLines)
  })

  test('type rules: a 请示 has one main recipient and a signer; a 报告 asks for nothing', () => {
    const request: GongwenMeta = {
      ...good,
      docType: 'request',
      title: '山东省应急厅关于申请防汛经费的请示',
      mainRecipients: '省政府、省财政厅',
    }
    expect(codes(checkDocument(request, body))).toEqual(['signer_missing', 'request_recipients'])
    const report: GongwenMeta = {
      ...request,
      docType: 'report',
      title: '关于防汛工作情况的报告',
      mainRecipients: '省政府',
      signers: ['张三'],
    }
    const found = checkDocument(report, blocks('现将情况报告如下。', '妥否，请批示。'))
    expect(codes(found)).toEqual(['report_contains_request'])
    expect(found[0]?.target).toEqual({ kind: 'body', block: 1, offset: 0, length: 2 })
    expect(codes(checkDocument({ ...good, title: '关于防汛工作的安排' }, body))).toEqual([
      'title_doc_type',
    ])
  })
})
