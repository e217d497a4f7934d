import { describe, expect, test } from 'vitest'
import { DEFAULT_META } from '../../../../shared/gongwen/meta'
import type { GongwenMeta } from '../../../../shared/gongwen/meta'
import {
  layoutModel,
  signatureIndents,
  textWidthChars,
} from '../../../../renderer/src/features/documents/gongwen/io/layoutModel'
import {
  closingBreak,
  imprintSpacer,
} from '../../../../renderer/src/features/documents/gongwen/io/imprintPlacement'
import { exportFileName } from '../../../../renderer/src/features/documents/gongwen/io/fileExport'
import { printCssText } from '../../../../renderer/src/features/documents/gongwen/io/printCss'
import {
  docTypeFromTitle,
  importTitle,
} from '../../../../renderer/src/features/documents/gongwen/io/applyImport'

const meta = (patch: Partial<GongwenMeta>): GongwenMeta => ({ ...DEFAULT_META, ...patch })

describe('GB/T 9704 layout model', () => {
  test('a 通知 gets the 文件 masthead 35 mm down, a centred number, a single red rule', () => {
    const model = layoutModel(
      meta({
        issuingAuthority: '山东省人民政府',
        documentNumber: '鲁政发〔2023〕5号',
        copyNumber: '000001',
        urgency: '特急',
      }),
    )
    expect(model.masthead).toEqual({ lines: ['山东省人民政府文件'], sizePt: 36, topMm: 35 })
    expect(model.numberLine).toEqual({ number: '鲁政发〔2023〕5号', signers: [] })
    expect(model.separator).toBe('single')
    expect(model.marks).toEqual([
      { text: '000001', heiti: false },
      { text: '特急', heiti: true },
    ])
    expect(model.numberFirstPage).toBe(true)
  })

  test('命令, 信函 and 纪要 follow their special formats', () => {
    const order = layoutModel(meta({ docType: 'order', issuingAuthority: '山东省人民政府' }))
    expect(order.masthead?.lines).toEqual(['山东省人民政府令'])
    expect(order.masthead?.topMm).toBe(20)
    expect(order.separator).toBeNull()

    const letter = layoutModel(meta({ docType: 'letter', issuingAuthority: '山东省财政厅' }))
    expect(letter.masthead?.lines).toEqual(['山东省财政厅'])
    // 30 mm from the paper's top edge: 7 mm into the 37 mm top margin.
    expect(letter.masthead?.topMm).toBe(-7)
    expect(letter.separator).toBe('double')
    expect(letter.numberFirstPage).toBe(false)

    const minutes = layoutModel(meta({ docType: 'minutes', issuingAuthority: '省政府常务会议' }))
    expect(minutes.masthead?.lines).toEqual(['省政府常务会议纪要'])
  })

  test('joint issues stack the agencies, and a long name shrinks the masthead to fit', () => {
    const joint = layoutModel(meta({ issuingAuthority: '山东省人民政府、山东省军区' }))
    expect(joint.masthead?.lines).toEqual(['山东省人民政府', '山东省军区文件'])
    const long = layoutModel(
      meta({ issuingAuthority: '山东省人民政府国有资产监督管理委员会办公室' }),
    )
    // 22 characters in 156 mm cannot be 36 pt.
    expect(long.masthead?.sizePt).toBeLessThan(20)
    expect(long.masthead?.sizePt).toBeGreaterThan(15)
  })

  test('签发人 shows on upward documents only', () => {
    const request = layoutModel(
      meta({ docType: 'request', documentNumber: '鲁政字〔2023〕8号', signers: ['张三', ' '] }),
    )
    expect(request.numberLine?.signers).toEqual(['张三'])
    const notice = layoutModel(meta({ documentNumber: '鲁政发〔2023〕5号', signers: ['张三'] }))
    expect(notice.numberLine?.signers).toEqual([])
  })

  test('主送机关 ends with one colon; 附件说明 is numbered when there are several, without end punctuation', () => {
    const model = layoutModel(
      meta({ mainRecipients: '各市人民政府：', attachments: ['值班安排表。', '联系方式'] }),
    )
    expect(model.recipients).toBe('各市人民政府：')
    expect(model.attachments).toEqual([
      { label: '附件：', text: '1.值班安排表' },
      { label: '', text: '2.联系方式' },
    ])
    expect(layoutModel(meta({ attachments: ['值班安排表'] })).attachments).toEqual([
      { label: '附件：', text: '值班安排表' },
    ])
  })

  test('版记 lines: 抄送 ends with 。, 印发日期 ends with 印发; none without them', () => {
    const model = layoutModel(
      meta({
        ccRecipients: '省委各部门',
        printingAuthority: '山东省人民政府办公厅',
        printDate: '2023年5月8日',
      }),
    )
    expect(model.imprint).toEqual({
      cc: '抄送：省委各部门。',
      printingAuthority: '山东省人民政府办公厅',
      printDate: '2023年5月8日印发',
    })
    expect(layoutModel(meta({})).imprint).toBeNull()
  })

  test('the title falls back to the document name', () => {
    expect(layoutModel(meta({ title: '' }), '关于值班的通知').title).toBe('关于值班的通知')
  })
})

describe('signature and date', () => {
  test('widths count Arabic digits as half a character', () => {
    expect(textWidthChars('2023年5月6日')).toBe(6)
    expect(textWidthChars('山东省人民政府')).toBe(7)
  })

  test('the date sits four characters from the right and the signature is centred over it', () => {
    expect(signatureIndents('山东省人民政府', '2023年5月6日')).toEqual({
      authorityIndentChars: 3.5,
      dateIndentChars: 4,
    })
  })

  test('a signature much longer than the date is two characters in, the date centred under it', () => {
    const indents = signatureIndents('山东省人民政府国有资产监督管理委员会', '2023年5月6日')
    expect(indents.authorityIndentChars).toBe(2)
    expect(indents.dateIndentChars).toBe(2 + (18 - 6) / 2)
  })
})

describe('版记 placement', () => {
  test('fits on the last page: the gap brings its bottom to the page foot', () => {
    expect(
      imprintSpacer({ contentHeight: 1200, imprintHeight: 80, pageHeight: 850, slack: 0 }),
    ).toEqual({
      spacer: 420,
      newPage: false,
    })
  })

  test('does not fit: a new page, at its foot', () => {
    expect(
      imprintSpacer({ contentHeight: 1650, imprintHeight: 80, pageHeight: 850, slack: 0 }),
    ).toEqual({
      spacer: 770,
      newPage: true,
    })
  })
})

describe('signature kept with body text', () => {
  const page = { pageHeight: 850, slack: 0 }

  test('closing and the last body line on one page: nothing moves', () => {
    expect(
      closingBreak({
        lastBlockTop: 400,
        lastBlockBottom: 440,
        closingTop: 520,
        closingBottom: 640,
        ...page,
      }),
    ).toBe(0)
  })

  test('closing across the page foot: the last block starts the next page', () => {
    expect(
      closingBreak({
        lastBlockTop: 660,
        lastBlockBottom: 700,
        closingTop: 760,
        closingBottom: 900,
        ...page,
      }),
    ).toBe(190)
  })

  test('closing alone at the top of a page, its blank lines left behind: the last block goes with it', () => {
    expect(
      closingBreak({
        lastBlockTop: 770,
        lastBlockBottom: 810,
        closingTop: 860,
        closingBottom: 980,
        ...page,
      }),
    ).toBe(80)
  })

  test('on a later page the same holds', () => {
    expect(
      closingBreak({
        lastBlockTop: 1560,
        lastBlockBottom: 1600,
        closingTop: 1640,
        closingBottom: 1760,
        ...page,
      }),
    ).toBe(140)
  })

  test('nothing to gain: the block already starts its page, or block and closing exceed a page', () => {
    expect(
      closingBreak({
        lastBlockTop: 850,
        lastBlockBottom: 1650,
        closingTop: 1660,
        closingBottom: 1800,
        ...page,
      }),
    ).toBe(0)
    expect(
      closingBreak({
        lastBlockTop: 100,
        lastBlockBottom: 800,
        closingTop: 810,
        closingBottom: 1000,
        ...page,
      }),
    ).toBe(0)
  })
})

describe('print rules and file names', () => {
  test('A4 with the 9704 margins and page numbers odd right, even left, in margin boxes', () => {
    const css = printCssText()
    expect(css).toContain('@page gongwen { size: A4; margin: 37mm 26mm 35mm 28mm; }')
    expect(css).toMatch(/@page gongwen:right \{ @bottom-right \{[^}]*counter\(page\)/)
    expect(css).toMatch(/@page gongwen:left \{ @bottom-left \{[^}]*counter\(page\)/)
    expect(css).toContain('@page gongwen-letter:first { @bottom-right { content: none; } }')
  })

  test('file names keep Chinese titles and lose path characters', () => {
    expect(exportFileName('关于做好值班工作的通知', 'pdf')).toBe('关于做好值班工作的通知.pdf')
    expect(exportFileName('a/b:c*?', 'docx')).toBe('a_b_c__.docx')
    expect(exportFileName('  ', 'docx')).toBe('公文.docx')
  })

  test('an imported title names its 文种; the file name stands in for a missing title', () => {
    expect(docTypeFromTitle('关于开展检查的请示')).toBe('request')
    expect(docTypeFromTitle('山东省人民政府令')).toBe('order')
    expect(docTypeFromTitle('工作安排')).toBe('notice')
    expect(importTitle('', '值班安排.docx')).toBe('值班安排')
  })
})
