/**
 * The filters of the 审计日志 viewer as the query of GET /admin/audit and /admin/audit.csv, and the
 * names of the recorded actions.
 */
import type { z } from 'zod'
import type { AuditQuery } from '../../../../shared/http/routes/audit'

/** The viewer's filters. */
export interface AuditFilters {
  /** An action or an action prefix (`user.` matches every account action). */
  readonly action: string
  readonly actorId: string | null
  /** Only entries by people of this unit or below it. */
  readonly unitId: string | null
  /** Free text matched in the actor name, target and detail. */
  readonly text: string
  /** [from, to] as epoch milliseconds, or null for any time. */
  readonly range: readonly [number, number] | null
}

/** Actions the relay records, grouped for the action filter. */
export const AUDIT_ACTIONS: readonly string[] = [
  'auth.login',
  'auth.login_failed',
  'auth.lockout',
  'auth.logout',
  'auth.password_changed',
  'auth.session_revoked',
  'user.create',
  'user.create_denied',
  'user.update',
  'user.roles_changed',
  'user.roles_denied',
  'user.move',
  'user.deactivate',
  'user.reactivate',
  'user.password_reset',
  'user.import',
  'user.import_codes_taken',
  'unit.create',
  'unit.update',
  'unit.move',
  'unit.delete',
  'acl.member_set',
  'acl.member_removed',
  'acl.unit_member_set',
  'acl.unit_member_removed',
  'doc.create',
  'doc.delete',
  'doc.restore',
  'doc.archive',
  'doc.lifecycle_refused',
  'doc.version_named',
  'doc.version_restored',
  'document.update_refused',
  'relay.refused',
  'admin.denied',
  'audit.export',
  'audit.verify',
  'audit.denied',
]

/** The action groups (prefixes) offered above the single actions. */
export const AUDIT_ACTION_GROUPS: readonly string[] = [
  'auth.',
  'user.',
  'unit.',
  'acl.',
  'doc.',
  'document.',
  'approval.',
  'meeting.',
  'relay.',
  'audit.',
]

/** @returns the i18n key naming an action or a group (dots are path separators in vue-i18n). */
export function actionKey(action: string): string {
  return `audit.actions.${action.replace(/\./g, '_')}`
}

/** @returns the query of the filters and one page. */
export function auditQuery(
  filters: AuditFilters,
  page?: { limit: number; offset: number },
): z.input<typeof AuditQuery> {
  return {
    ...(filters.action.trim() === '' ? {} : { action: filters.action.trim() }),
    ...(filters.actorId === null ? {} : { actorId: filters.actorId }),
    ...(filters.unitId === null ? {} : { unitId: filters.unitId }),
    ...(filters.text.trim() === '' ? {} : { q: filters.text.trim() }),
    ...(filters.range === null ? {} : { from: filters.range[0], to: filters.range[1] }),
    ...(page === undefined ? {} : { limit: page.limit, offset: page.offset }),
  }
}
