/**
 * The checker's messages, translated in the renderer from `Violation.text` (a key and its
 * parameters), read exactly as the shared rules' own `message` and `messageEn`, for every key.
 */
import { describe, expect, test } from 'vitest'
import { createI18n } from 'vue-i18n'
import { checkDocument } from '../../../../shared/gongwen/checker'
import type { BodyBlock, Violation } from '../../../../shared/gongwen/checker'
import { DEFAULT_META } from '../../../../shared/gongwen/meta'
import type { GongwenMeta } from '../../../../shared/gongwen/meta'
import { en, zhCN } from '../../../../renderer/src/i18n/messages'
import { violationMessage } from '../../../../renderer/src/features/documents/gongwen/checker/violationMessage'

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

function blocks(...texts: string[]): BodyBlock[] {
  return texts.map((text, index) => ({ index, type: 'paragraph', text }))
}

const text = blocks('正文。')

/** Documents that together break every rule, each rule in every form of its message. */
const CASES: readonly (readonly [
  GongwenMeta,
  readonly BodyBlock[],
  'single' | 'comprehensive' | undefined,
])[] = [
  [{ ...good, classification: 'secret' } as GongwenMeta, text, undefined],
  [{ ...good, classification: 'unknown' } as GongwenMeta, text, undefined],
  [
    { ...good, docType: 'order', title: '山东省人民政府令', documentNumber: '5号' },
    text,
    undefined,
  ],
  [
    { ...good, docType: 'order', title: '山东省人民政府令', documentNumber: '第05号' },
    text,
    undefined,
  ],
  [{ ...good, documentNumber: '鲁政发' }, text, undefined],
  [{ ...good, documentNumber: '〔2023〕5号' }, text, undefined],
  [{ ...good, documentNumber: '鲁政发[23]第05号' }, text, undefined],
  [{ ...good, documentNumber: '鲁政发（2023）0号' }, text, undefined],
  [{ ...good, writtenDate: '2023年05月06日', printDate: '2023-5-8' }, text, undefined],
  [{ ...good, writtenDate: '2023年2月30日', printDate: '二〇二三年五月八日' }, text, undefined],
  [{ ...good, writtenDate: '2023年5月9日', copyNumber: '12' }, text, undefined],
  [{ ...good, attachments: ['防汛责任人名单。', '2.物资清单'] }, text, undefined],
  [
    {
      ...good,
      docType: 'request',
      title: '关于防汛工作的安排',
      mainRecipients: '省政府、省财政厅',
    },
    text,
    undefined,
  ],
  [good, blocks('正文。', '附件:1、防汛责任人名单；', '3.应急物资清单。'), undefined],
  [good, blocks('一、总体要求', '(一)指导思想', '（三）主要目标'), undefined],
  [good, blocks('字'.repeat(4400)), undefined],
  [good, blocks('字'.repeat(4400)), 'single'],
  [good, blocks('字'.repeat(5001)), 'comprehensive'],
  [
    { ...good, docType: 'report', title: '关于防汛工作情况的报告', signers: ['张三'] },
    blocks('现将情况报告如下。', '妥否，请批示。'),
    undefined,
  ],
  [{ ...good, mainRecipients: '某某县人民政府、'.repeat(30) }, text, undefined],
  [
    { ...good, documentNumber: '', mainRecipients: '各××局' },
    blocks('请于ＸＸ日前报送。'),
    undefined,
  ],
  [{ ...good, docType: 'order', title: '山东省人民政府令', documentNumber: '' }, text, undefined],
]

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } })
  return (key: string, params?: Record<string, unknown>): string =>
    params === undefined ? i18n.global.t(key) : i18n.global.t(key, params)
}

describe('checker messages', () => {
  const violations: Violation[] = CASES.flatMap(([meta, body, scope]) =>
    checkDocument(meta, body, scope === undefined ? {} : { scope }),
  )

  test('every violation carries a key of gongwen.violations, and every key is met', () => {
    const keys = new Set(violations.map((violation) => violation.text?.key))
    expect([...keys].sort()).toEqual(Object.keys(zhCN.gongwen.violations).sort())
  })

  test('translated, every message reads as the rule wrote it, in Chinese and in English', () => {
    const zh = translator('zh-CN')
    const english = translator('en')
    for (const violation of violations) {
      expect(violationMessage(violation, zh, 'zh-CN')).toBe(violation.message)
      expect(violationMessage(violation, english, 'en')).toBe(violation.messageEn)
    }
  })
})
