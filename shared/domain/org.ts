/** The org tree (省 → 市 → 县 → 乡镇, each with departments) and who may administer what in it. */
import type { AccountRole } from './roles'

/** The kind of a unit. */
export type UnitKind =
  /** 省: the root of the tree. */
  | 'province'
  /** 市 */
  | 'city'
  /** 县 (and 区, 县级市) */
  | 'county'
  /** 乡镇 (and 街道) */
  | 'township'
  /** 部门: a department inside any unit. */
  | 'department'

/** Every unit kind, from the top. */
export const UNIT_KINDS: readonly UnitKind[] = [
  'province',
  'city',
  'county',
  'township',
  'department',
]

const CHILD_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  province: ['city', 'department'],
  city: ['county', 'department'],
  county: ['township', 'department'],
  township: ['department'],
  department: ['department'],
}

/** @returns whether a unit of kind `child` may sit under one of kind `parent` (null: the root). */
export function canContain(parent: UnitKind | null, child: UnitKind): boolean {
  return parent === null ? child === 'province' : CHILD_KINDS[parent].includes(child)
}

/** @returns the ids on a materialised path '/a/b/c/', root first. */
export function pathIds(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0)
}

/** The facts about an administrator the rules need. */
export interface AdminSubject {
  readonly roles: readonly AccountRole[]
  /** The unit the account belongs to (a unit admin administers its subtree). */
  readonly unitId: string | null
}

/** @returns whether the subject may administer anything at all. */
export function isAdministrator(subject: AdminSubject): boolean {
  return (
    subject.roles.includes('sysadmin') ||
    (subject.roles.includes('unitadmin') && subject.unitId !== null)
  )
}

/**
 * @param unitPath the materialised path of the unit acted on (or null for "no unit")
 * @returns whether the subject may act on that unit: system admins anywhere, unit admins inside
 *   their own subtree only.
 */
export function canAdministerUnit(subject: AdminSubject, unitPath: string | null): boolean {
  if (subject.roles.includes('sysadmin')) {
    return true
  }
  if (!subject.roles.includes('unitadmin') || subject.unitId === null || unitPath === null) {
    return false
  }
  return pathIds(unitPath).includes(subject.unitId)
}

/** @returns whether the subject may grant these account roles (only system admins grant sysadmin). */
export function canGrantRoles(subject: AdminSubject, roles: readonly AccountRole[]): boolean {
  return subject.roles.includes('sysadmin') || !roles.includes('sysadmin')
}

/** The facts about an account that decide who may administer it. */
export interface ManagedAccount {
  /** The materialised path of the account's primary unit (null: placed in no unit). */
  readonly unitPath: string | null
  readonly roles: readonly AccountRole[]
}

/**
 * @returns whether the subject may read or change this account: its unit lies in the subject's
 *   reach and the subject could grant every role the account holds. A unit admin therefore never
 *   acts on a system administrator placed in their unit (no takeover by password reset).
 */
export function canManageAccount(subject: AdminSubject, account: ManagedAccount): boolean {
  return canAdministerUnit(subject, account.unitPath) && canGrantRoles(subject, account.roles)
}

/** @returns those of `roles` the subject cannot grant (an account holding one is out of their reach). */
export function rolesBeyondReach(
  subject: AdminSubject,
  roles: readonly AccountRole[],
): AccountRole[] {
  return roles.filter((role) => !canGrantRoles(subject, [role]))
}

/** Who sees an account's phone number in the directory. */
export type PhoneVisibility =
  /** Everyone signed in. */
  | 'public'
  /** People of the same unit subtree's top unit only. */
  | 'unit'
  /** Nobody but admins. */
  | 'hidden'
