/**
 * The engine's ApprovalDirectory over the org tables: a snapshot loaded before resolving a flow
 * (the engine's directory is synchronous). Posts are the `posts` rows whose title is the post's
 * name (科室负责人, 分管领导, 主要领导) in exactly that unit; roles are the account roles of users
 * whose unit is exactly that unit; an account is active when `active` is 1.
 */
import type { ApprovalDirectory, Post } from '../../shared/approvals'
import type { Stores } from '../storage/UnitOfWork'

/** What to load besides the initiator's unit chain. */
export interface DirectoryNeeds {
  readonly unitId: string
  /** Units named by the request (a `unit` field of form data): their posts are loaded too. */
  readonly extraUnitIds?: readonly string[]
  /** Users named by the request (ad-hoc assignees, person fields, cc): their status is loaded. */
  readonly userIds?: readonly string[]
}

/** @returns the unit's chain of ids (itself first, root last) from its materialised path. */
export async function unitChainOf(stores: Stores, unitId: string): Promise<string[]> {
  const unit = await stores.org.unitById(unitId)
  if (unit === null) {
    return [unitId]
  }
  return unit.path
    .split('/')
    .filter((id) => id.length > 0)
    .reverse()
}

/** @returns a directory snapshot answering for the chain and the named units and users. */
export async function loadDirectory(
  stores: Stores,
  needs: DirectoryNeeds,
): Promise<ApprovalDirectory> {
  const chain = await unitChainOf(stores, needs.unitId)
  const extraUnits = (needs.extraUnitIds ?? []).slice(0, 100)
  const extraChains = await Promise.all(extraUnits.map((id) => unitChainOf(stores, id)))
  const chains = new Map<string, string[]>([[needs.unitId, chain]])
  extraUnits.forEach((id, index) => chains.set(id, extraChains[index] ?? [id]))
  const units = [...new Set([...chain, ...extraChains.flat()])]
  const posts = await stores.approvals.postsInUnits(units)
  const roleUsers = await stores.approvals.roleHoldersInUnits(units)
  const named = new Set([...(needs.userIds ?? []).slice(0, 1000), ...posts.map((p) => p.user_id)])
  const accounts = await stores.org.usersByIds([...named])
  const active = new Set<string>()
  for (const user of [...accounts, ...roleUsers]) {
    if (user.active === 1) {
      active.add(user.id)
    }
  }
  return {
    unitChain: (unitId) => chains.get(unitId) ?? [unitId],
    postHolders: (unitId: string, post: Post) =>
      posts.filter((row) => row.unit_id === unitId && row.title === post).map((row) => row.user_id),
    roleHolders: (role, unitId) =>
      roleUsers
        .filter((user) => user.unit_id === unitId && parseRoleList(user.roles).includes(role))
        .map((user) => user.id),
    isActive: (userId) => active.has(userId),
  }
}

function parseRoleList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []
  } catch {
    return []
  }
}
