/**
 * The org tree as the screens show it: the flat unit list of GET /api/v1/units turned into nested
 * nodes, cut down to what an administrator may manage, and the places a unit may move to.
 *
 * @example
 *   const roots = buildUnitTree(scopeUnits(units, session.user))
 */
import type { ApiUnit } from '../../../shared/api'
import type { AdminSubject, UnitKind } from '../../../shared/domain/org'
import { UNIT_KINDS, canContain } from '../../../shared/domain/org'

/** One node of the tree, in the shape Element Plus's tree and tree-select take. */
export interface UnitNode {
  /** The unit id (the tree's node key). */
  readonly id: string
  readonly label: string
  readonly unit: ApiUnit
  readonly children: UnitNode[]
}

/** Orders siblings: by sortOrder, then code, then name. */
function compareUnits(a: ApiUnit, b: ApiUnit): number {
  return a.sortOrder - b.sortOrder || a.code.localeCompare(b.code) || a.name.localeCompare(b.name)
}

/**
 * Nests a flat list of units. A unit whose parent is not in the list becomes a root, so a unit
 * admin's subtree (cut out of the province) still forms a tree.
 */
export function buildUnitTree(units: readonly ApiUnit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>()
  for (const unit of [...units].sort(compareUnits)) {
    nodes.set(unit.id, { id: unit.id, label: unit.name, unit, children: [] })
  }
  const roots: UnitNode[] = []
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId)
    if (parent === undefined) {
      roots.push(node)
    } else {
      parent.children.push(node)
    }
  }
  return roots
}

/** @returns whether the unit lies in the subtree of `rootId` (itself included). */
export function inSubtree(unit: ApiUnit, rootId: string): boolean {
  return unit.path.includes(rootId)
}

/**
 * @returns the units an administrator manages: all of them for a system admin, the subtree of
 *   their own unit for a unit admin, none for anybody else.
 */
export function scopeUnits(units: readonly ApiUnit[], subject: AdminSubject | null): ApiUnit[] {
  if (subject === null) {
    return []
  }
  if (subject.roles.includes('sysadmin')) {
    return [...units]
  }
  const own = subject.unitId
  if (!subject.roles.includes('unitadmin') || own === null) {
    return []
  }
  return units.filter((unit) => inSubtree(unit, own))
}

/** @returns the kinds of unit that may be created under a unit of kind `parent` (null: a root). */
export function childKinds(parent: UnitKind | null): UnitKind[] {
  return UNIT_KINDS.filter((kind) => canContain(parent, kind))
}

/**
 * @param units the units the administrator manages
 * @returns the units `unitId` may move under: they may hold its kind, are not inside its own
 *   subtree, and are not already its parent.
 */
export function moveTargets(units: readonly ApiUnit[], unitId: string): ApiUnit[] {
  const moving = units.find((unit) => unit.id === unitId)
  if (moving === undefined) {
    return []
  }
  return units.filter(
    (unit) =>
      !inSubtree(unit, unitId) && unit.id !== moving.parentId && canContain(unit.kind, moving.kind),
  )
}

/** @returns `山东省 / 济南市 / 历下区` for a unit, from the root of the list it is in. */
export function unitTrail(units: readonly ApiUnit[], unitId: string, separator = ' / '): string {
  const byId = new Map(units.map((unit) => [unit.id, unit]))
  const unit = byId.get(unitId)
  if (unit === undefined) {
    return ''
  }
  return unit.path
    .map((id) => byId.get(id)?.name)
    .filter((name): name is string => name !== undefined)
    .join(separator)
}

/** @returns the ids of every node of a tree, depth first (for expanding all of it). */
export function allNodeIds(nodes: readonly UnitNode[]): string[] {
  return nodes.flatMap((node) => [node.id, ...allNodeIds(node.children)])
}

/** @returns the smallest sortOrder that puts a new child after its existing siblings (steps of 10). */
export function nextSortOrder(units: readonly ApiUnit[], parentId: string | null): number {
  const siblings = units.filter((unit) => unit.parentId === parentId)
  return siblings.length === 0 ? 10 : Math.max(...siblings.map((unit) => unit.sortOrder)) + 10
}

/** @returns the unit id of a node Element Plus hands back (its node data is untyped). */
export function nodeUnitId(data: Record<string, unknown> | null): string | null {
  return data !== null && typeof data.id === 'string' ? data.id : null
}

/** Element Plus tree filter: a node matches when its name or unit code contains `value`. */
export function nodeMatches(value: string, data: Record<string, unknown>): boolean {
  if (value === '') {
    return true
  }
  const unit = data.unit
  const code = typeof unit === 'object' && unit !== null && 'code' in unit ? unit.code : ''
  return (
    (typeof data.label === 'string' && data.label.includes(value)) ||
    (typeof code === 'string' && code.includes(value))
  )
}
