/**
 * `/api/v1/approvals`, `/api/v1/todos`: approval instances, their signed actions, the evidence
 * file and the 待办 centre (DESIGN §7). The request bodies are the engine's schemas
 * (shared/approvals/actionSchema.ts); the derived state is the engine's `ApprovalState`.
 *
 * @example
 *   const { id } = await call(startApproval, { body: { subject: { type: 'document', documentId }, flowId: 'gongwen-outgoing' } })
 *   const view = await call(getApproval, { params: { id } })
 */
import { z } from 'zod'
import {
  ActRequestSchema,
  ApprovalInstanceSchema,
  IdSchema,
  RecordedActionSchema,
  StartApprovalRequestSchema,
} from '../../approvals'
import type { ApprovalState, RecordedAction, StageState } from '../../approvals'
import { defineDownload, defineRoute, queryNumber } from '../contract'

/** The params of an approval's routes. */
export const ApprovalParams = z.object({ id: IdSchema })

/** A recorded action as the API shows it: the contract's fields, plus its device and signature. */
export const ApprovalActionView = z.custom<
  RecordedAction & {
    /** The device whose key signed it; absent on system actions. */
    readonly deviceId?: string
    /** SM2, DER, hex; absent on system actions. */
    readonly signature?: string
  }
>((value) => RecordedActionSchema.safeParse(stripSignature(value)).success, {
  message: 'not a recorded action',
})
export type ApprovalActionView = z.infer<typeof ApprovalActionView>

function stripSignature(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    return value
  }
  const { deviceId: _deviceId, signature: _signature, ...rest } = value as Record<string, unknown>
  return rest
}

/** A person the view names (initiator, assignees, actors), so a client can show names offline. */
export const ApprovalPerson = z.object({
  id: z.string(),
  displayName: z.string(),
  /** The unit's name, when the person has one. */
  unitName: z.string().optional(),
})
export type ApprovalPerson = z.infer<typeof ApprovalPerson>

/**
 * `GET /api/v1/approvals/<id>` and the `view` map of the `approval:<id>` room: the contract's
 * `{ id, status, currentStageId, stages, actions }`, and what a client needs to show and reduce it
 * offline (the instance, the derived state, names).
 */
export const ApprovalView = z.object({
  id: z.string(),
  status: z.enum(['running', 'approved', 'rejected', 'withdrawn']),
  currentStageId: z.string().nullable(),
  /** The engine's stage states (status, assignees, consents, ⚠ reopened). */
  stages: z.array(z.custom<StageState>()),
  /** Every recorded action in the server's order. */
  actions: z.array(ApprovalActionView),
  /** The concrete instance `reduce` runs over. */
  instance: ApprovalInstanceSchema,
  /** `reduce(instance, actions)` as the server computed it. */
  state: z.custom<ApprovalState>(),
  /** The document's title or the form's name. */
  title: z.string(),
  /** Names of everyone the instance and its actions mention, by user id. */
  people: z.record(z.string(), ApprovalPerson),
})
export type ApprovalView = z.infer<typeof ApprovalView>

/** `POST /api/v1/approvals` → 201 `{ id }` (DESIGN §7 Start). */
export const startApproval = defineRoute({
  method: 'POST',
  path: '/api/v1/approvals',
  body: StartApprovalRequestSchema,
  status: 201,
  response: z.object({ id: z.string() }),
})

/** `GET /api/v1/approvals/<id>` → 200 the view; 404 for someone who is not a participant. */
export const getApproval = defineRoute({
  method: 'GET',
  path: '/api/v1/approvals/:id',
  params: ApprovalParams,
  status: 200,
  response: ApprovalView,
})

/** The success of an action: applied (with the new view) or recorded as superseded. */
export const ActResponse = z.object({
  outcome: z.enum(['applied', 'superseded']),
  approval: ApprovalView,
})
export type ActResponse = z.infer<typeof ActResponse>

/** `POST /api/v1/approvals/<id>/actions` → 200 (DESIGN §7 Act: errors in the order given there). */
export const actOnApproval = defineRoute({
  method: 'POST',
  path: '/api/v1/approvals/:id/actions',
  params: ApprovalParams,
  body: ActRequestSchema,
  status: 200,
  response: ActResponse,
})

/** One result of a batch: the outcome, or the §6 error the single action would have had. */
export const BatchResult = z.object({
  approvalId: z.string(),
  outcome: z.enum(['applied', 'superseded']).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})

/**
 * `POST /api/v1/approvals/batch` → 200: 批量审批, each action signed on its own and judged as by
 * `actOnApproval`; only stages whose flow allows it (review and countersign; never 签发).
 */
export const batchAct = defineRoute({
  method: 'POST',
  path: '/api/v1/approvals/batch',
  body: z.strictObject({ items: z.array(ActRequestSchema).min(1).max(100) }),
  status: 200,
  response: z.object({ results: z.array(BatchResult) }),
})

/**
 * `GET /api/v1/approvals/<id>/evidence` → the evidence file (JSON, shared/approvals/evidence.ts):
 * every action with its signature and device key, the content each digest covers, and the relay's
 * SM2 signature over the rest. `npm run verify -- <file>` checks it offline.
 */
export const approvalEvidence = defineDownload({
  method: 'GET',
  path: '/api/v1/approvals/:id/evidence',
  params: ApprovalParams,
  contentType: 'application/json; charset=utf-8',
})

/** A document's approvals, newest first (the 公文 editor shows the running one). */
export const ApprovalSummary = z.object({
  id: z.string(),
  status: z.enum(['running', 'approved', 'rejected', 'withdrawn']),
  title: z.string(),
  currentStageId: z.string().nullable(),
  /** The current stage's name, null once finished. */
  currentStageName: z.string().nullable(),
  initiatorId: z.string(),
  createdAt: z.string(),
})
export type ApprovalSummary = z.infer<typeof ApprovalSummary>

/** `GET /api/v1/documents/<id>/approvals` → 200 the document's approvals (members only). */
export const documentApprovals = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/approvals',
  params: z.object({ id: z.string().min(1).max(64) }),
  status: 200,
  response: z.object({ approvals: z.array(ApprovalSummary) }),
})

/**
 * `GET /api/v1/documents/<id>/digest` → 200 (DESIGN §7 Content digest): `digest` is what an
 * approve or 签发 must carry; `substantiveDigest` ignores punctuation and whitespace (发文复核).
 */
export const documentDigest = defineRoute({
  method: 'GET',
  path: '/api/v1/documents/:id/digest',
  params: z.object({ id: z.string().min(1).max(64) }),
  status: 200,
  response: z.object({ digest: z.string(), substantiveDigest: z.string() }),
})

/** The boxes of the 待办 centre. */
export const TodoBox = z.enum(['pending', 'initiated', 'done', 'cc'])
export type TodoBox = z.infer<typeof TodoBox>

/** One row of the 待办 centre. */
export const TodoItem = z.object({
  approvalId: z.string(),
  title: z.string(),
  subjectType: z.enum(['document', 'form']),
  /** The form's id (请假 `leave`, …) or null for a document. */
  formId: z.string().nullable(),
  documentId: z.string().nullable(),
  status: z.enum(['running', 'approved', 'rejected', 'withdrawn']),
  currentStageId: z.string().nullable(),
  currentStageName: z.string().nullable(),
  initiatorId: z.string(),
  initiatorName: z.string(),
  /** ⚠ the caller's 签发 was re-opened by a substantive change (发文复核). */
  reopened: z.boolean(),
  /** The current stage's time limit, ISO UTC, when it has one. */
  deadline: z.string().nullable(),
  /** Whether the caller may approve it in a batch (a review or countersign stage). */
  batchable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * On a `pending` item the caller holds as a deputy (代): the leader who must act and delegated
   * to them (act with `onBehalfOf` this id); null or absent when the item is the caller's own.
   */
  onBehalfOf: z.string().nullable().optional(),
})
export type TodoItem = z.infer<typeof TodoItem>

/** Counts of the four boxes (the 待办 badge; also the `counts` map of the `inbox:<userId>` room). */
export const TodoCounts = z.object({
  pending: z.number(),
  initiated: z.number(),
  done: z.number(),
  cc: z.number(),
})
export type TodoCounts = z.infer<typeof TodoCounts>

/** `GET /api/v1/todos?box=pending|initiated|done|cc` → 200 `{ items, counts }` (DESIGN §7), newest first. */
export const listTodos = defineRoute({
  method: 'GET',
  path: '/api/v1/todos',
  query: z.object({
    box: TodoBox.optional(),
    limit: queryNumber().int().min(1).max(200).optional(),
    /** Items updated before this ISO time (paging). */
    before: z.string().datetime().optional(),
  }),
  status: 200,
  response: z.object({ items: z.array(TodoItem), counts: TodoCounts }),
})
