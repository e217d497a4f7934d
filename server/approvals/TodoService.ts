/** The 待办 centre: a user's rows of one box (indexed) with the counts of all four. */
import type { ApprovalInstance } from '../../shared/approvals'
import type { TodoBox, TodoCounts, TodoItem } from '../../shared/http/routes/approvals'
import type { Storage } from '../storage/Storage'
import type { TodoListRow } from '../storage/approvals/ApprovalStore'
import type { ApprovalEffects } from './ApprovalEffects'
import { BATCHABLE_KINDS } from './ApprovalActions'
import type { Deputies } from './Deputies'

/** What a listing asks. */
export interface TodoQuery {
  readonly box: TodoBox
  readonly limit: number
  /** Epoch ms: rows updated before it (paging); null for the newest. */
  readonly before: number | null
}

/** Lists 待办. */
export class TodoService {
  constructor(
    private readonly storage: Storage,
    private readonly effects: ApprovalEffects,
    private readonly deputies: Deputies,
  ) {}

  /** `GET /api/v1/todos?box=`. */
  async list(userId: string, query: TodoQuery): Promise<{ items: TodoItem[]; counts: TodoCounts }> {
    const listing = {
      box: query.box,
      limit: Math.min(Math.max(query.limit, 1), 200),
      before: Number.isFinite(query.before) ? query.before : null,
    }
    const [rows, counts] = await Promise.all([
      query.box === 'pending'
        ? this.pending(userId, listing)
        : this.storage.approvals
            .todos(userId, listing)
            .then((own) => own.map((row) => ({ row, onBehalfOf: null }))),
      this.effects.counts(userId),
    ])
    const initiators = await this.storage.org.usersByIds([
      ...new Set(rows.map(({ row }) => row.initiator_id)),
    ])
    const names = new Map(initiators.map((user) => [user.id, user.display_name]))
    return {
      items: rows.map(({ row, onBehalfOf }) =>
        itemOf(row, names.get(row.initiator_id) ?? '', onBehalfOf),
      ),
      counts,
    }
  }

  /**
   * 待我审批: the caller's own rows and those of the leaders they act for now (代), each approval
   * once (their own first), newest first. Each side is read by its index up to the limit.
   */
  private async pending(
    userId: string,
    listing: { box: string; limit: number; before: number | null },
  ): Promise<{ row: TodoListRow; onBehalfOf: string | null }[]> {
    const leaders = await this.deputies.leadersOf(userId)
    const [own, delegated] = await Promise.all([
      this.storage.approvals.todos(userId, listing),
      this.storage.approvals.delegatedPending(leaders, listing),
    ])
    if (delegated.length === 0) {
      return own.map((row) => ({ row, onBehalfOf: null }))
    }
    const seen = new Set(own.map((row) => row.approval_id))
    const merged: { row: TodoListRow; onBehalfOf: string | null }[] = own.map((row) => ({
      row,
      onBehalfOf: null,
    }))
    for (const row of delegated) {
      if (!seen.has(row.approval_id)) {
        seen.add(row.approval_id)
        merged.push({ row, onBehalfOf: row.user_id })
      }
    }
    merged.sort(
      (a, b) =>
        Number(b.row.updated_at) - Number(a.row.updated_at) ||
        (a.row.approval_id < b.row.approval_id
          ? 1
          : a.row.approval_id > b.row.approval_id
            ? -1
            : 0),
    )
    return merged.slice(0, listing.limit)
  }
}

function itemOf(row: TodoListRow, initiatorName: string, onBehalfOf: string | null): TodoItem {
  const instance = JSON.parse(row.instance) as ApprovalInstance
  const stage = instance.stages.find((item) => item.id === row.current_stage_id)
  return {
    approvalId: row.approval_id,
    title: row.title,
    subjectType: row.subject_type === 'form' ? 'form' : 'document',
    formId: row.form_id,
    documentId: row.document_id,
    status: row.status as TodoItem['status'],
    currentStageId: row.current_stage_id,
    currentStageName: row.current_stage_name,
    initiatorId: row.initiator_id,
    initiatorName,
    reopened: row.reopened === 1,
    deadline: row.deadline_at === null ? null : new Date(row.deadline_at).toISOString(),
    // A batch signs without `onBehalfOf`: a deputy's item is opened and acted on one by one.
    batchable:
      row.box === 'pending' &&
      onBehalfOf === null &&
      stage !== undefined &&
      BATCHABLE_KINDS.has(stage.kind),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    onBehalfOf,
  }
}
