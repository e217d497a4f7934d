/**
 * The filters of the 审计日志 viewer as a query string of GET /admin/audit and /admin/audit.csv,
 * and the names of the recorded actions.
 */

/** The viewer's filters. */
export interface AuditFilters {
  /** An action or an action prefix (`user.` matches every account action). */
  readonly action: string
  readonly actorId: string | null
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
  'admin.denied',
  'audit.export',
  'audit.verify',
  'audit.denied',
]

/** The action groups (prefixes) offered above the single actions. */
export const AUDIT_ACTION_GROUPS: readonly string[] = ['auth.', 'user.', 'unit.', 'acl.', 'audit.']

/** @returns the i18n key naming an action or a group (dots are path separators in vue-i18n). */
export function actionKey(action: string): string {
  return `audit.actions.${action.replace(/\./g, '_')}`
}

/** @returns the query string (without `?`) of the filters and one page. */
export function auditQuery(
  filters: AuditFilters,
  page?: { limit: number; offset: number },
): string {
  const params = new URLSearchParams()
  if (filters.action.trim() !== '') {
    params.set('action', filters.action.trim())
  }
  if (filters.actorId !== null) {
    params.set('actorId', filters.actorId)
  }
  if (filters.text.trim() !== '') {
    params.set('q', filters.text.trim())
  }
  if (filters.range !== null) {
    params.set('from', String(filters.range[0]))
    params.set('to', String(filters.range[1]))
  }
  if (page !== undefined) {
    params.set('limit', String(page.limit))
    params.set('offset', String(page.offset))
  }
  return params.toString()
}

/** @returns a one-line rendering of an entry's detail object (`key: value; …`). */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('；')
}
