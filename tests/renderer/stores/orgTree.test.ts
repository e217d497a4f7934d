import { describe, expect, test } from 'vitest'
import type { ApiUnit } from '../../../shared/api'
import type { UnitKind } from '../../../shared/domain/org'
import {
  buildUnitTree,
  childKinds,
  moveTargets,
  nextSortOrder,
  nodeMatches,
  scopeUnits,
  unitTrail,
} from '../../../renderer/src/stores/orgTree'

function unit(
  id: string,
  parent: ApiUnit | null,
  kind: UnitKind,
  name: string,
  sortOrder = 0,
): ApiUnit {
  return {
    id,
    parentId: parent?.id ?? null,
    kind,
    name,
    code: id,
    sortOrder,
    path: [...(parent?.path ?? []), id],
  }
}

const sd = unit('sd', null, 'province', '山东省')
const qd = unit('qd', sd, 'city', '青岛市', 20)
const jn = unit('jn', sd, 'city', '济南市', 10)
const lx = unit('lx', jn, 'county', '历下区')
const sz = unit('sz', jn, 'county', '市中区')
const lxBan = unit('lxban', lx, 'department', '区政府办公室')
const ls = unit('ls', qd, 'county', '崂山区')
const all = [lxBan, ls, sz, lx, qd, jn, sd]

describe('the org tree', () => {
  test('nests the flat list under its parents, siblings in sort order', () => {
    const roots = buildUnitTree(all)
    expect(roots.map((r) => r.label)).toEqual(['山东省'])
    expect(roots[0]!.children.map((c) => c.label)).toEqual(['济南市', '青岛市'])
    const jinan = roots[0]!.children[0]!
    expect(jinan.children.map((c) => c.id)).toEqual(['lx', 'sz'])
    expect(jinan.children[0]!.children.map((c) => c.label)).toEqual(['区政府办公室'])
  })

  test('a unit admin sees only their own subtree, which still forms a tree', () => {
    const scoped = scopeUnits(all, { roles: ['unitadmin'], unitId: 'jn' })
    expect(scoped.map((u) => u.id).sort()).toEqual(['jn', 'lx', 'lxban', 'sz'])
    const roots = buildUnitTree(scoped)
    expect(roots.map((r) => r.id)).toEqual(['jn'])
    expect(scopeUnits(all, { roles: ['sysadmin'], unitId: null })).toHaveLength(all.length)
    expect(scopeUnits(all, { roles: ['drafter'], unitId: 'jn' })).toEqual([])
    expect(scopeUnits(all, { roles: ['unitadmin'], unitId: null })).toEqual([])
  })

  test('offers the kinds a parent may hold: 省 under nothing, 市 or 部门 under 省, only 部门 under 部门', () => {
    expect(childKinds(null)).toEqual(['province'])
    expect(childKinds('province')).toEqual(['city', 'department'])
    expect(childKinds('county')).toEqual(['township', 'department'])
    expect(childKinds('department')).toEqual(['department'])
  })

  test('a unit may move only under a unit that can hold its kind, outside its own subtree', () => {
    expect(moveTargets(all, 'lx').map((u) => u.id)).toEqual(['qd'])
    // A department can go under any unit except its own parent and itself.
    expect(
      moveTargets(all, 'lxban')
        .map((u) => u.id)
        .sort(),
    ).toEqual(['jn', 'ls', 'qd', 'sd', 'sz'])
    expect(moveTargets(all, 'jn')).toEqual([])
    expect(moveTargets(all, 'missing')).toEqual([])
  })

  test('names a unit by its trail from the root and places new children after their siblings', () => {
    expect(unitTrail(all, 'lxban')).toBe('山东省 / 济南市 / 历下区 / 区政府办公室')
    expect(unitTrail(all, 'missing')).toBe('')
    expect(nextSortOrder(all, 'sd')).toBe(30)
    expect(nextSortOrder(all, 'lxban')).toBe(10)
  })

  test('the tree filter matches names and unit codes', () => {
    const [root] = buildUnitTree(all)
    const node = { ...root!.children[0]! }
    expect(nodeMatches('济南', node)).toBe(true)
    expect(nodeMatches('jn', node)).toBe(true)
    expect(nodeMatches('青岛', node)).toBe(false)
    expect(nodeMatches('', node)).toBe(true)
  })
})
