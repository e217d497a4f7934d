/** The 待办 centre: a user's rows of one box (indexed) with the counts of all four. */
import type { ApprovalInstance } from '../../shared/approvals'
import type { TodoBox, TodoCounts, TodoItem } from '../../shared/http/routes/approvals'
import type { Storage } from '../storage/Storage'
import type { TodoListRow } from '../storage/approvals/ApprovalStore'
import type { ApprovalEffects } from './ApprovalEffects'
import { BATCHABLE_KINDS } from './ApprovalActions'

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
  ) {}

  /** `GET /api/v1/todos?box=`. */
  async list(userId: string, query: TodoQuery): Promise<{ items: TodoItem[]; counts: TodoCounts }> {
    const [rows, counts] = await Promise.all([
      this.storage.approvals.todos(userId, {
        box: query.box,
        limit: Math.min(Math.max(query.limit, 1), 200),
        before: Number.isFinite(query.before) ? query.before : null,
      }),
      this.effects.counts(userId),
    ])
    const initiators = await this.storage.org.usersByIds([
      ...new Set(rows.map((row) => row.initiator_id)),
    ])
    const names = new Map(initiators.map((user) => [user.id, user.display_name]))
    return { items: rows.map((row) => itemOf(row, names.get(row.initiator_id) ?? '')), counts }
  }
}

function itemOf(row: TodoListRow, initiatorName: string): TodoItem {
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
    batchable: row.box === 'pending' && stage !== undefined && BATCHABLE_KINDS.has(stage.kind),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}
