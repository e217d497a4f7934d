/** How accounts are shown: the API's user, and the roles stored on a user row. */
import type { UserRow } from '../storage/users/UserStore'
import type { AccountRole } from '../../shared/domain/roles'
import type { ApiUser } from '../../shared/api'

/** @returns the roles stored as JSON on a user row. */
export function parseRoles(json: string): AccountRole[] {
  const value: unknown = JSON.parse(json)
  return Array.isArray(value) ? value.filter((r): r is AccountRole => typeof r === 'string') : []
}

/** @returns the API view of a user row. */
export function toApiUser(row: UserRow): ApiUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: parseRoles(row.roles),
    unitId: row.unit_id,
    mustChangePassword: row.must_change_password === 1,
  }
}
