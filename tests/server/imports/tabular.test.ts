import { describe, expect, test } from 'vitest'
import { parseCsv, toCsv } from '../../../server/imports/tabular'

describe('CSV of the bulk import', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; the BOM and blank rows go', () => {
    const text =
      '\ufeff用户名,姓名,备注\r\nzhangwei,张伟,"济南市, 历下区"\r\n\r\nliqiang,李强,"他说""好""\n第二行"\n'
    expect(parseCsv(text)).toEqual([
      ['用户名', '姓名', '备注'],
      ['zhangwei', '张伟', '济南市, 历下区'],
      ['liqiang', '李强', '他说"好"\n第二行'],
    ])
  })

  test('rows may differ in length, and what toCsv writes reads back the same', () => {
    const rows = [
      ['a', '=1+1', '引号"里'],
      ['b', '', 'x'],
    ]
    expect(parseCsv('a,b\nc\n')).toEqual([['a', 'b'], ['c']])
    expect(parseCsv(toCsv(rows))).toEqual([
      ['a', "'=1+1", '引号"里'],
      ['b', '', 'x'],
    ])
  })

  test('an unclosed quote is an error, not a silently merged row', () => {
    expect(() => parseCsv('a,"unclosed\nb,c\n')).toThrow()
  })
})
