/** Who may see an account's phone number in the directory (通讯录). */
import type { AdminSubject, PhoneVisibility } from '../../shared/domain/org'
import { canManageAccount } from '../../shared/domain/org'
import type { AccountRole } from '../../shared/domain/roles'

/** The viewer of directory entries, for phone visibility. */
export interface DirectoryViewer {
  readonly unitPath: string | null
  /** The viewer's administrator facts, or null when they administer nothing. */
  readonly admin: AdminSubject | null
}

/**
 * @returns whether a viewer may see the phone of an account placed at `ownerPath` holding
 *   `ownerRoles`. Administrators see every phone of the accounts they manage, and only those.
 */
export function phoneVisible(
  visibility: PhoneVisibility,
  viewer: DirectoryViewer,
  ownerPath: string | null,
  ownerRoles: readonly AccountRole[],
): boolean {
  if (visibility === 'public') {
    return true
  }
  if (
    viewer.admin !== null &&
    canManageAccount(viewer.admin, { unitPath: ownerPath, roles: ownerRoles })
  ) {
    return true
  }
  if (visibility === 'hidden' || viewer.unitPath === null || ownerPath === null) {
    return false
  }
  // 'unit': colleagues in the same unit, above it or below it.
  return viewer.unitPath.startsWith(ownerPath) || ownerPath.startsWith(viewer.unitPath)
}
