/**
 * Zod schemas of the approvals API bodies (DESIGN §7); the relay validates every body with them and
 * the client pre-checks what it queues. Objects are strict (an unknown key is refused: a signature
 * must cover everything that was sent), optional fields are omitted, never `null`.
 *
 * @example
 *   const body = ActRequestSchema.safeParse(await request.json())
 *   if (!body.success) return invalidAction(body.error)
 */
import { z } from 'zod'
import { isIsoUtcMillis } from './canonical'
import { STAGE_KINDS, STAGE_MODES } from './types'
import type { ApprovalAction, RecordedAction } from './actions'

/** Limits of the approvals bodies. */
export const APPROVAL_LIMITS = {
  opinion: 2000,
  stageName: 64,
  stages: 30,
  assigneesPerStage: 50,
  addSigners: 20,
  cc: 100,
  documentNumber: 64,
} as const

/** An id: a row id (base64url) or a stage id. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1–64 letters, digits, _ or -')

/** ISO 8601 UTC with milliseconds, e.g. `2026-12-07T02:21:26.000Z`. */
export const IsoTimeSchema = z
  .string()
  .refine(isIsoUtcMillis, '时间须为 UTC ISO 8601 格式并含毫秒 (ISO 8601 UTC with milliseconds)')

/** SM3 digest, lowercase hex. */
export const DigestSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'SM3 digest: 64 lowercase hex digits')

const base = {
  approvalId: IdSchema,
  stageId: IdSchema,
  nonce: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'nonce: 8–128 letters, digits, _ or -'),
  createdAt: IsoTimeSchema,
  opinion: z.string().max(APPROVAL_LIMITS.opinion).optional(),
  contentDigest: DigestSchema.optional(),
  onBehalfOf: IdSchema.optional(),
}

const PLAIN_CLIENT_TYPES = [
  'submit',
  'approve',
  'reject',
  'withdraw',
  'urge',
  'comment',
  'signoff',
  'resubmit',
] as const

/** The client action shapes, with `extra` fields (none on the wire; the record's in a list). */
function clientShapes<Extra extends z.ZodRawShape>(extra: Extra) {
  return [
    z.strictObject({ ...base, ...extra, type: z.enum(PLAIN_CLIENT_TYPES) }),
    z.strictObject({
      ...base,
      ...extra,
      type: z.literal('return'),
      target: z.strictObject({ stageId: IdSchema }),
    }),
    z.strictObject({
      ...base,
      ...extra,
      type: z.literal('transfer'),
      target: z.strictObject({ userId: IdSchema }),
    }),
    z.strictObject({
      ...base,
      ...extra,
      type: z.literal('addSigner'),
      target: z.strictObject({
        userIds: z.array(IdSchema).min(1).max(APPROVAL_LIMITS.addSigners),
        position: z.enum(['before', 'after', 'parallel']),
      }),
    }),
  ] as const
}

/** The `action` of `POST /api/v1/approvals/<id>/actions`: client types only. */
export const ApprovalActionSchema = z.discriminatedUnion(
  'type',
  clientShapes({}),
) satisfies z.ZodType<ApprovalAction>

const record = {
  id: IdSchema,
  actorId: IdSchema,
  outcome: z.enum(['applied', 'superseded']),
  receivedAt: IsoTimeSchema.optional(),
  substantiveDigest: DigestSchema.optional(),
}

/**
 * A recorded action (the `approval:<id>` room, the evidence file): client and system types with
 * the record's fields. Check a list with it before `reduce`, which expects well-formed actions.
 */
export const RecordedActionSchema = z.discriminatedUnion('type', [
  ...clientShapes(record),
  z.strictObject({ ...base, ...record, type: z.enum(['reopen', 'remind']) }),
  z.strictObject({
    ...base,
    ...record,
    type: z.literal('number'),
    target: z.strictObject({
      documentNumber: z.string().min(1).max(APPROVAL_LIMITS.documentNumber),
    }),
  }),
  z.strictObject({
    ...base,
    ...record,
    type: z.literal('reassign'),
    target: z.strictObject({ fromUserId: IdSchema, userId: IdSchema }),
  }),
]) satisfies z.ZodType<RecordedAction>

/** `POST /api/v1/approvals/<id>/actions`. */
export const ActRequestSchema = z.strictObject({
  action: ApprovalActionSchema,
  deviceId: IdSchema,
  /** SM2 signature, DER, hex. */
  signature: z.string().regex(/^(?:[0-9a-fA-F]{2}){8,80}$/, 'signature: DER, hex'),
})

/** One stage of a 自由流程 (ad-hoc flow). */
export const AdhocStageSchema = z.strictObject({
  name: z.string().trim().min(1).max(APPROVAL_LIMITS.stageName),
  kind: z.enum(STAGE_KINDS).optional(),
  mode: z.enum(STAGE_MODES),
  assignees: z.array(IdSchema).min(1).max(APPROVAL_LIMITS.assigneesPerStage),
})

/** The subject of a new approval. */
export const ApprovalSubjectSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('document'), documentId: IdSchema }),
  z.strictObject({
    type: z.literal('form'),
    formId: IdSchema,
    data: z.record(z.string(), z.unknown()),
  }),
])

/** `POST /api/v1/approvals`: a `flowId` or ad-hoc `stages`, not both. */
export const StartApprovalRequestSchema = z
  .strictObject({
    subject: ApprovalSubjectSchema,
    flowId: IdSchema.optional(),
    stages: z.array(AdhocStageSchema).min(1).max(APPROVAL_LIMITS.stages).optional(),
    cc: z.array(IdSchema).max(APPROVAL_LIMITS.cc).optional(),
    /** Start options of a document flow (e.g. `countersigners`), read by conditions and field specs. */
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((body) => (body.flowId === undefined) !== (body.stages === undefined), {
    message: '须指定流程或自由流程环节之一 (exactly one of flowId and stages)',
  })

/** `POST /api/v1/delegations`, made by the leader who delegates. */
export const DelegationRequestSchema = z.strictObject({
  toUserId: IdSchema,
  scope: z.enum(['signoff', 'all']),
  until: IsoTimeSchema,
})

/** `POST /api/v1/devices`: an SM2 public key, uncompressed hex (`04` + 128 hex digits). */
export const RegisterDeviceRequestSchema = z.strictObject({
  publicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/, 'SM2 public key: 04 + 128 hex digits'),
  label: z.string().trim().min(1).max(64),
})
