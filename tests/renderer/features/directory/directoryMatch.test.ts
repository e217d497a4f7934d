import { describe, expect, test } from 'vitest'
import type { DirectoryEntry } from '../../../../shared/api'
import {
  isDirectoryEntry,
  matchRank,
  normalizeQuery,
  searchEntries,
  sortMembers,
} from '../../../../renderer/src/features/directory/directoryMatch'
import { postRank } from '../../../../shared/domain/postRank'

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

describe('phone numbers and rank order', () => {
  const withPhone = (person: DirectoryEntry, phone: string | null): DirectoryEntry => ({
    ...person,
    phone,
  })

  test('the last 4 digits (or any part, with separators) find the people whose number is shown', () => {
    const shown = [withPhone(zhangWei, '138-0531-4721'), withPhone(liNa, null), zhouWen]
    expect(searchEntries(shown, '4721').map((e) => e.displayName)).toEqual(['张伟'])
    expect(searchEntries(shown, '0531 4721').map((e) => e.displayName)).toEqual(['张伟'])
    // A hidden number (null here) is never matched; two digits are too few.
    expect(searchEntries([withPhone(liNa, null)], '4721')).toEqual([])
    expect(searchEntries(shown, '21')).toEqual([])
  })

  test('a unit lists its people in rank order: leader, deputies, heads, staff; then by pinyin', () => {
    const post = (id: string, name: string, pinyin: string, title: string): DirectoryEntry =>
      entry(id, name, pinyin, pinyin.slice(0, 2), '历下区', title)
    const listed = sortMembers(
      [
        post('a', '安然', 'anran', '科员'),
        post('b', '白雪', 'baixue', '副主任'),
        post('c', '陈晨', 'chenchen', '主任'),
        post('d', '丁一', 'dingyi', '一级主任科员'),
        post('e', '鄂尔', 'eer', '副处长'),
        post('f', '范凡', 'fanfan', '处长'),
        post('g', '高歌', 'gaoge', '司机'),
        post('h', '胡海', 'huhai', '副主任'),
        post('i', '纪今', 'jijin', '二级调研员'),
      ],
      'lx',
    )
    expect(listed.map((e) => e.displayName)).toEqual([
      '陈晨',
      '白雪',
      '胡海',
      '纪今',
      '范凡',
      '鄂尔',
      '丁一',
      '安然',
      '高歌',
    ])
  })

  test('post levels: principals before deputies, grades in order, unknown titles last', () => {
    expect(postRank('局长')).toBeLessThan(postRank('副局长'))
    expect(postRank('常务副市长')).toBeLessThan(postRank('一级巡视员'))
    expect(postRank('一级调研员')).toBeLessThan(postRank('二级调研员'))
    expect(postRank('副科长')).toBeLessThan(postRank('一级主任科员'))
    expect(postRank('四级主任科员')).toBeLessThan(postRank('科员'))
    expect(postRank('科员')).toBeLessThan(postRank('工作人员'))
  })
})
