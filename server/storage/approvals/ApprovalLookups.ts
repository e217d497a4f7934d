/**
 * What approvals read from other aggregates' tables, and their due work: posts and role holders of
 * units (flow resolution), running approvals whose reminder is due, 待办 places of deactivated
 * accounts and the successor named for them. The base of ApprovalStore, so callers keep one store.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../schema'

/** Read-only lookups of approvals over the org, 待办 and audit tables. */
export class ApprovalLookups {
  constructor(protected readonly db: Kysely<Database>) {}

  /** @returns the posts held in these units (flow resolution: 科室负责人, 分管领导, 主要领导). */
  async postsInUnits(
    unitIds: readonly string[],
  ): Promise<{ user_id: string; unit_id: string; title: string }[]> {
    if (unitIds.length === 0) {
      return []
    }
    return this.db
      .selectFrom('posts')
      .select(['user_id', 'unit_id', 'title'])
      .where('unit_id', 'in', unitIds)
      .orderBy('sort_order', 'asc')
      .orderBy('id', 'asc')
      .limit(5000)
      .execute()
  }

  /** @returns the accounts of these units that hold any account role (role lookups). */
  async roleHoldersInUnits(
    unitIds: readonly string[],
  ): Promise<{ id: string; unit_id: string | null; roles: string; active: number }[]> {
    if (unitIds.length === 0) {
      return []
    }
    return this.db
      .selectFrom('users')
      .select(['id', 'unit_id', 'roles', 'active'])
      .where('unit_id', 'in', unitIds)
      .where('roles', '!=', '[]')
      .orderBy('created_at', 'asc')
      .limit(5000)
      .execute()
  }

  /** @returns running approvals whose reminder is due (index approvals_remind). */
  async dueReminders(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('approvals')
      .select('id')
      .where('status', '=', 'running')
      .where('remind_at', '<=', now)
      .orderBy('remind_at', 'asc')
      .limit(limit)
      .execute()
    return rows.map((row) => row.id)
  }

  /** @returns open 待办 places held by deactivated accounts. */
  async inactiveHolders(limit: number): Promise<{ approval_id: string; user_id: string }[]> {
    return this.db
      .selectFrom('approval_todos as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.approval_id', 't.user_id'])
      .where('t.box', '=', 'pending')
      .where('u.active', '=', 0)
      .limit(limit)
      .execute()
  }

  /** @returns the successor named when the account was last deactivated (its audit entry), or null. */
  async namedSuccessor(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'user.deactivate')
      .where('target', '=', userId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (row === undefined) {
      return null
    }
    try {
      const detail = JSON.parse(row.detail) as { successorId?: unknown }
      return typeof detail.successorId === 'string' ? detail.successorId : null
    } catch {
      return null
    }
  }
}
