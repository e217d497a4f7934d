/**
 * The small view of the org directory that resolving a flow needs. The server implements it over
 * its tables (one query each, or a preloaded snapshot); tests and offline previews use plain maps.
 * Every method answers for exactly the unit it is given; walking up the chain is resolve.ts's job.
 *
 * @example
 *   const dir: ApprovalDirectory = {
 *     unitChain: (unitId) => (unitId === 'sec' ? ['sec', 'office'] : [unitId]),
 *     postHolders: (unitId, post) => (unitId === 'sec' && post === '科室负责人' ? ['u-head'] : []),
 *     roleHolders: () => [],
 *     isActive: () => true,
 *   }
 */
import type { Post } from './assigneeSpec'

/** Directory queries used by flow resolution and successor lookup. */
export interface ApprovalDirectory {
  /** @returns the unit's id, then its parent's, up to the root (the unit alone when it has none). */
  unitChain(unitId: string): readonly string[]
  /** @returns the users holding `post` in exactly this unit, in the directory's order. */
  postHolders(unitId: string, post: Post): readonly string[]
  /** @returns the users with account role `role` in exactly this unit. */
  roleHolders(role: string, unitId: string): readonly string[]
  /** @returns whether the account may act (exists and is not deactivated). */
  isActive(userId: string): boolean
  /** @returns the successor an admin named when deactivating this user, if any. */
  successorOf?(userId: string): string | null
}
