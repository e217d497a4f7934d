import { describe, expect, test } from 'vitest'
import type { DirectoryEntry } from '../../../../shared/api'
import {
  isDirectoryEntry,
  matchRank,
  normalizeQuery,
  searchEntries,
} from '../../../../renderer/src/features/directory/directoryMatch'

function entry(
  id: string,
  displayName: string,
  pinyin: string,
  initials: string,
  unitName = '历下区',
  title = '科员',
): DirectoryEntry {
  return {
    id,
    displayName,
    username: id,
    pinyin,
    initials,
    posts: [{ unitId: 'lx', unitName, title }],
    phone: null,
  }
}

const zhangWei = entry('zhang.wei', '张伟', 'zhangwei', 'zw')
const zhouWen = entry('zhou.wen', '周文', 'zhouwen', 'zw')
const zhangWeiMin = entry('zwm', '张伟民', 'zhangweimin', 'zwm', '市中区', '主任')
const liNa = entry('li.na', '李娜', 'lina', 'ln')
const people = [zhouWen, zhangWeiMin, liNa, zhangWei]

describe('offline directory search', () => {
  test('finds 张伟 by initials "zw" and by full pinyin "zhangwei", exact hits first', () => {
    expect(searchEntries(people, 'zw').map((e) => e.displayName)).toEqual([
      '张伟',
      '周文',
      '张伟民',
    ])
    expect(searchEntries(people, 'zhangwei').map((e) => e.displayName)).toEqual(['张伟', '张伟民'])
    expect(searchEntries(people, 'Zhang Wei')[0]?.displayName).toBe('张伟')
  })

  test('a Chinese query matches part of the name, then post titles and unit names', () => {
    expect(searchEntries(people, '张伟').map((e) => e.displayName)).toEqual(['张伟', '张伟民'])
    expect(searchEntries(people, '主任').map((e) => e.displayName)).toEqual(['张伟民'])
    expect(searchEntries(people, '市中').map((e) => e.displayName)).toEqual(['张伟民'])
    expect(searchEntries(people, '王')).toEqual([])
  })

  test('a person found in several cached units is listed once', () => {
    const again = { ...zhangWei, posts: [{ unitId: 'sz', unitName: '市中区', title: '兼职' }] }
    expect(searchEntries([zhangWei, again], 'zw')).toHaveLength(1)
  })

  test('matches by username prefix and ignores a query that matches nothing', () => {
    expect(matchRank(liNa, 'li.n')).toBe(1)
    expect(matchRank(liNa, 'zw')).toBeNull()
    expect(normalizeQuery('  Zhang  Wei ')).toBe('zhangwei')
  })

  test('reads only well-formed entries out of a room', () => {
    expect(isDirectoryEntry(zhangWei)).toBe(true)
    expect(isDirectoryEntry({ ...zhangWei, posts: [{ unitId: 1 }] })).toBe(false)
    expect(isDirectoryEntry({ id: 'x' })).toBe(false)
    expect(isDirectoryEntry(null)).toBe(false)
  })
})
