import type { ColumnType } from 'kysely'
/** Table types of approvals (migration 013_approvals): instances, actions, 待办 rows, the register. */

/** One approval: the concrete instance (JSON) and what listings need without reducing it. */
export interface ApprovalsTable {
  id: string
  /** ApprovalInstance as JSON (the engine's `reduce` input). */
  instance: string
  /** running | approved | rejected | withdrawn */
  status: string
  subject_type: string
  document_id: string | null
  form_id: string | null
  title: string
  initiator_id: string
  current_stage_id: string | null
  current_stage_name: string | null
  /** The unit whose 发文字号 register a number stage draws from. */
  register_unit_id: string
  /** The current stage's time limit, epoch ms; null without one. */
  deadline_at: number | null
  /** When the current stage's reminder is due, epoch ms; null once sent or without one (014). */
  remind_at: ColumnType<number | null, number | null | undefined, number | null>
  /** Bumped by every command on the approval: its row lock serialises them across nodes. */
  version: number
  /** Epoch ms. */
  created_at: number
  updated_at: number
}

/** The append-only action list of each approval. */
export interface ApprovalActionsTable {
  approval_id: string
  /** Server order within the approval, from 1. */
  seq: number
  id: string
  nonce: string
  type: string
  actor_id: string
  /** The device whose key signed it; null on system actions. */
  device_id: string | null
  /** SM2, DER, hex; null on system actions. */
  signature: string | null
  outcome: string
  /** The RecordedAction as JSON. */
  body: string
  /** The encoded content (strict encoding) the action's digest covers, when it has one. */
  content: string | null
  received_at: number
}

/** The 待办 centre: one row per user, approval and box. */
export interface ApprovalTodosTable {
  user_id: string
  approval_id: string
  /** pending | initiated | done | cc */
  box: string
  /** 1 when the user's 签发 was re-opened (发文复核 ⚠). */
  reopened: number
  /**
   * The kind of the current stage on a `pending` row (what a deputy's delegation must cover: a
   * `signoff` delegation covers `signoff` only); null on the other boxes (015).
   */
  stage_kind: ColumnType<string | null, string | null | undefined, string | null>
  updated_at: number
}

/** Everyone who may read an approval (and its room). */
export interface ApprovalParticipantsTable {
  approval_id: string
  user_id: string
}

/** The 发文字号 register: the last serial of each counter (NumberCounter.key). */
export interface ApprovalNumberCountersTable {
  key: string
  last: number
}
