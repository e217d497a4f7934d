import { describe, expect, test } from 'vitest'
import { checkDocument } from '../../../shared/gongwen/checker'
import type { BodyBlock } from '../../../shared/gongwen/checker'
import { placeholderRuns } from '../../../shared/gongwen/draftRules'
import { DEFAULT_META } from '../../../shared/gongwen/meta'
import type { GongwenMeta } from '../../../shared/gongwen/meta'
import { templateFor } from '../../../shared/gongwen/templates'

const notice: GongwenMeta = {
  ...DEFAULT_META,
  docType: 'notice',
  title: '山东省人民政府关于做好防汛工作的通知',
  issuingAuthority: '山东省人民政府',
  documentNumber: '鲁政发〔2023〕5号',
  mainRecipients: '各市人民政府',
  writtenDate: '2023年5月6日',
}

const body = (...texts: string[]): BodyBlock[] =>
  texts.map((text, index) => ({ index, type: 'paragraph', text }))

describe('the draft rules of the checker', () => {
  test('a missing 发文字号 is flagged where the 文种 carries one, and not for a 纪要', () => {
    const found = checkDocument({ ...notice, documentNumber: '' }, body('现将有关事项通知如下。'))
    expect(found.map((v) => [v.code, v.severity, v.target])).toEqual([
      ['document_number_missing', 'warning', { kind: 'meta', field: 'documentNumber' }],
    ])
    expect(found[0]?.message).toContain('通知应标注发文字号')
    const letter = checkDocument(
      { ...notice, docType: 'letter', title: '关于商请支持的函', documentNumber: '' },
      body('请予支持。'),
    )
    expect(letter.map((v) => v.code)).toContain('document_number_missing')
    const order = checkDocument(
      { ...notice, docType: 'order', documentNumber: '' },
      body('现予公布。'),
    )
    expect(order.find((v) => v.code === 'document_number_missing')?.message).toContain('令号')
    const minutes = checkDocument(
      { ...notice, docType: 'minutes', title: '防汛工作会议纪要', documentNumber: '' },
      body('会议议定如下。'),
    )
    expect(minutes.map((v) => v.code)).not.toContain('document_number_missing')
    expect(checkDocument(notice, body('现将有关事项通知如下。'))).toEqual([])
  })

  test('placeholders left in the body and the meta are flagged where they stand', () => {
    const found = checkDocument(
      { ...notice, mainRecipients: '各××局' },
      body('现将有关事项通知如下。', '请于ＸＸ月ＸＸ日前报送××××。', 'XXL 号的服装和 xx 个名额'),
    )
    expect(found.map((v) => [v.code, v.target])).toEqual([
      ['placeholder_left', { kind: 'meta', field: 'mainRecipients', offset: 1, length: 2 }],
      ['placeholder_left', { kind: 'body', block: 1, offset: 2, length: 2 }],
      ['placeholder_left', { kind: 'body', block: 1, offset: 5, length: 2 }],
      ['placeholder_left', { kind: 'body', block: 1, offset: 11, length: 4 }],
      ['placeholder_left', { kind: 'body', block: 2, offset: 10, length: 2 }],
    ])
    expect(found[1]?.message).toBe('“ＸＸ”是模板占位符，请替换为实际内容')
  })

  test('a fresh template shows its placeholders as warnings, never as errors', () => {
    const template = templateFor('notice', { title: '关于××的通知' })
    const blocks = template.blocks.map((b, index) => ({ index, type: b.type, text: b.text }))
    const found = checkDocument({ ...notice, title: '关于××的通知' }, blocks)
    expect(found.some((v) => v.code === 'placeholder_left')).toBe(true)
    expect(
      found.filter((v) => v.code === 'placeholder_left').every((v) => v.severity === 'warning'),
    ).toBe(true)
  })

  test('Latin X inside a word is not a placeholder', () => {
    expect(placeholderRuns('XXL、xx-large、Xbox')).toEqual([])
    expect(placeholderRuns('第XX条')).toEqual([{ offset: 1, run: 'XX' }])
  })
})
