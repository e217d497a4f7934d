/**
 * Zod schemas of a stored concrete instance: what the `approval:<id>` room projects and the
 * evidence file holds, so a client or the verifier checks it before `reduce` trusts it.
 *
 * @example
 *   const instance = ApprovalInstanceSchema.parse(evidence.instance)
 *   const actions = z.array(RecordedActionSchema).parse(evidence.actions)
 *   reduce(instance, actions).anomalies // [] when the list keeps the rules
 */
import { z } from 'zod'
import { APPROVAL_LIMITS, ApprovalSubjectSchema, IdSchema, IsoTimeSchema } from './actionSchema'
import { POST_LADDER } from './assigneeSpec'
import type { AssigneeSpec } from './assigneeSpec'
import { STAGE_KINDS, STAGE_MODES } from './types'
import type { ApprovalInstance } from './types'

/** One assignee spec of a template stage. */
export const AssigneeSpecSchema = z.union([
  z.strictObject({ user: IdSchema }),
  z.strictObject({ post: z.enum(POST_LADDER), unitsFrom: z.string().min(1).max(64).optional() }),
  z.strictObject({ role: z.string().min(1).max(64) }),
  z.strictObject({ field: z.string().min(1).max(64) }),
]) satisfies z.ZodType<AssigneeSpec>

/** One resolved stage. */
export const ConcreteStageSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1).max(APPROVAL_LIMITS.stageName),
  kind: z.enum(STAGE_KINDS),
  mode: z.enum(STAGE_MODES),
  assignees: z.array(IdSchema).max(APPROVAL_LIMITS.assigneesPerStage * 4),
  skipped: z.enum(['initiator', 'duplicate']).optional(),
  escalatedFrom: z.enum(POST_LADDER).optional(),
  assigneeSpecs: z.array(AssigneeSpecSchema).max(20).optional(),
  timeLimitHours: z.number().positive().optional(),
  remindBeforeHours: z.number().positive().optional(),
})

/** A concrete instance. */
export const ApprovalInstanceSchema = z.strictObject({
  id: IdSchema,
  flowId: IdSchema.optional(),
  initiatorId: IdSchema,
  initiatorUnitId: IdSchema,
  createdAt: IsoTimeSchema,
  subject: ApprovalSubjectSchema,
  stages: z.array(ConcreteStageSchema).max(APPROVAL_LIMITS.stages),
  cc: z.array(IdSchema).max(APPROVAL_LIMITS.cc),
}) satisfies z.ZodType<ApprovalInstance>
