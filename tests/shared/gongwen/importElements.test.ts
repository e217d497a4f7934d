/**
 * The 公文要素 of an imported Word document are found around its body, and nothing that may be body
 * text is taken.
 */
import { describe, expect, test } from 'vitest'
import { recogniseElements } from '../../../shared/gongwen/importElements'
import type { ImportBlock } from '../../../shared/gongwen/importElements'

const p = (text: string): ImportBlock => ({ kind: 'paragraph', text })
const h = (text: string): ImportBlock => ({ kind: 'heading', text })

/** @returns the texts of the blocks left for the body */
function bodyOf(blocks: readonly ImportBlock[], taken: ReadonlySet<number>): string[] {
  return blocks.filter((_block, i) => !taken.has(i)).map((block) => block.text)
}

describe('recogniseElements', () => {
  test('a 下行文 laid out as paragraphs: head, 附件说明, 署名, 成文日期 and 版记', () => {
    const blocks = [
      p('000123'),
      p('特急'),
      p('山东省人民政府办公厅文件'),
      p('鲁政办发〔2024〕3号'),
      p('关于做好春节期间值班工作的通知'),
      p('各市人民政府，省政府各部门：'),
      p('为做好值班工作，现将有关事项通知如下：'),
      h('一、高度重视'),
      p('各单位要切实加强组织领导。'),
      p('附件：1.值班表'),
      p('2.联系方式'),
      p('山东省人民政府办公厅'),
      p('2024年1月26日'),
      p('（此件公开发布）'),
      p('抄送：省委各部门。'),
      p('山东省人民政府办公厅  2024年1月26日印发'),
    ]
    const found = recogniseElements(blocks)
    expect(found.meta).toEqual({
      copyNumber: '000123',
      urgency: '特急',
      issuingAuthority: '山东省人民政府办公厅',
      documentNumber: '鲁政办发〔2024〕3号',
      title: '关于做好春节期间值班工作的通知',
      mainRecipients: '各市人民政府，省政府各部门',
      attachments: ['值班表', '联系方式'],
      writtenDate: '2024年1月26日',
      ccRecipients: '省委各部门',
      printingAuthority: '山东省人民政府办公厅',
      printDate: '2024年1月26日',
    })
    expect(found.classifiedMark).toBeNull()
    expect(bodyOf(blocks, found.taken)).toEqual([
      '为做好值班工作，现将有关事项通知如下：',
      '一、高度重视',
      '各单位要切实加强组织领导。',
      '（此件公开发布）',
    ])
  })

  test('a 上行文 with 签发人 on the number line, and the 版记 as a table', () => {
    const blocks: ImportBlock[] = [
      p('济南市人民政府文件'),
      p('济政呈〔2024〕12号  签发人：张伟 李娜'),
      { kind: 'title', text: '济南市人民政府关于2023年工作情况的报告' },
      p('省人民政府：'),
      p('现将我市2023年工作情况报告如下。'),
      p('济南市人民政府'),
      p('二〇二四年三月五日'),
      {
        kind: 'table',
        text: '',
        lines: ['抄送：省发展改革委。', '济南市人民政府办公厅 2024年3月6日印发'],
      },
    ]
    const found = recogniseElements(blocks)
    expect(found.meta).toMatchObject({
      issuingAuthority: '济南市人民政府',
      documentNumber: '济政呈〔2024〕12号',
      signers: ['张伟', '李娜'],
      title: '济南市人民政府关于2023年工作情况的报告',
      mainRecipients: '省人民政府',
      writtenDate: '二〇二四年三月五日',
      ccRecipients: '省发展改革委',
      printingAuthority: '济南市人民政府办公厅',
      printDate: '2024年3月6日',
    })
    expect(bodyOf(blocks, found.taken)).toEqual(['现将我市2023年工作情况报告如下。'])
  })

  test('body text that only looks like an element stays in the body', () => {
    const blocks = [
      p('为做好值班工作，现将《关于做好值班工作的通知》转发给你们，请认真贯彻执行。'),
      p('各单位要按照以下要求：'),
      p('1.加强领导'),
      p('2.落实责任'),
      p('特此通知'),
      p('2024年1月26日'),
    ]
    const found = recogniseElements(blocks)
    // No title at the top: nothing is taken from the head; the date is, the 特此通知 line is not.
    expect(found.meta).toEqual({ writtenDate: '2024年1月26日' })
    expect(bodyOf(blocks, found.taken)).toEqual(blocks.slice(0, 5).map((block) => block.text))
  })

  test('a masthead with no title after it is not taken', () => {
    const blocks = [p('山东省人民政府文件'), p('会议定于下周召开。')]
    const found = recogniseElements(blocks)
    expect(found.meta).toEqual({})
    expect(found.taken.size).toBe(0)
  })

  test('a 密级 mark at the top is reported (such a file must not be imported)', () => {
    const found = recogniseElements([
      p('000001'),
      p('机密★1年'),
      p('关于某事项的通知'),
      p('正文。'),
    ])
    expect(found.classifiedMark).toBe('机密★1年')
  })
})
