import { describe, expect, test } from 'vitest'
import { blockChanges } from '../../../../renderer/src/features/documents/gongwen/suggestions/refusedSuggestions'

describe('a commenter’s refused body edits as suggestions', () => {
  test('an edited block becomes a replacement, an added block an insertion, a removed one a deletion', () => {
    const current = [
      '关于开展安全生产大检查的通知',
      '各单位：',
      '现将有关事项通知如下。',
      '特此通知。',
    ]
    const refused = [
      '关于开展安全生产大检查的通知',
      '各市、县（区）人民政府：',
      '现将有关事项通知如下。',
      '一、高度重视。',
    ]
    expect(blockChanges(current, refused)).toEqual([
      { kind: 'replace', index: 1, text: '各市、县（区）人民政府：' },
      { kind: 'replace', index: 3, text: '一、高度重视。' },
    ])
    expect(blockChanges(['甲', '乙'], ['甲', '新段', '乙'])).toEqual([
      { kind: 'insert', after: 0, text: '新段' },
    ])
    expect(blockChanges(['甲', '乙', '丙'], ['甲', '丙'])).toEqual([{ kind: 'delete', index: 1 }])
    expect(blockChanges(['甲'], ['开头', '甲'])).toEqual([
      { kind: 'insert', after: -1, text: '开头' },
    ])
    expect(blockChanges(['甲', '乙'], ['甲', '乙'])).toEqual([])
  })
})
