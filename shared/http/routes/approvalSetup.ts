/**
 * What approvals are set up with: device keys (DESIGN §7 Device keys), delegations (代), flow
 * templates and forms (admin screens), and each unit's 机关代字 for the 发文字号 register.
 *
 * @example
 *   const { id } = await call(registerDevice, { body: { publicKey, label: '办公室电脑' } })
 *   const { flows } = await call(listFlows, { query: { subjectType: 'form' } })
 */
import { z } from 'zod'
import {
  AssigneeSpecSchema,
  CONDITION_OPS,
  DelegationRequestSchema,
  FormDefinitionSchema,
  IdSchema,
  RegisterDeviceRequestSchema,
  STAGE_KINDS,
  STAGE_MODES,
} from '../../approvals'
import type { FlowTemplate, FormDefinition } from '../../approvals'
import { defineRoute } from '../contract'

/** One device key as its owner sees it. */
export const DeviceView = z.object({
  id: z.string(),
  label: z.string(),
  /** SM2, uncompressed hex. */
  publicKey: z.string(),
  createdAt: z.string(),
  /** When it was revoked; actions received afterwards are refused. */
  revokedAt: z.string().nullable(),
})
export type DeviceView = z.infer<typeof DeviceView>

/** `POST /api/v1/devices` → 201 `{ id }` (audited). */
export const registerDevice = defineRoute({
  method: 'POST',
  path: '/api/v1/devices',
  body: RegisterDeviceRequestSchema,
  status: 201,
  response: z.object({ id: z.string() }),
})

/** `GET /api/v1/devices` → 200 the caller's device keys, revoked ones included. */
export const listDevices = defineRoute({
  method: 'GET',
  path: '/api/v1/devices',
  status: 200,
  response: z.object({ devices: z.array(DeviceView) }),
})

/** `DELETE /api/v1/devices/<id>` → 204: revoked (audited); 404 when it is not the caller's. */
export const revokeDevice = defineRoute({
  method: 'DELETE',
  path: '/api/v1/devices/:id',
  params: z.object({ id: IdSchema }),
  status: 204,
  response: z.null(),
})

/**
 * `GET /api/v1/users/<id>/devices` → 200 a person's public keys, revoked ones with their time (the
 * directory's published keys: anyone signed in can verify that person's signatures).
 */
export const userDevices = defineRoute({
  method: 'GET',
  path: '/api/v1/users/:id/devices',
  params: z.object({ id: IdSchema }),
  status: 200,
  response: z.object({ devices: z.array(DeviceView) }),
})

/** One delegation (代). */
export const DelegationView = z.object({
  id: z.string(),
  fromUserId: z.string(),
  fromName: z.string(),
  toUserId: z.string(),
  toName: z.string(),
  scope: z.enum(['signoff', 'all']),
  until: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
})
export type DelegationView = z.infer<typeof DelegationView>

/** `POST /api/v1/delegations` → 201 `{ id }`, made by the leader who delegates (audited). */
export const createDelegation = defineRoute({
  method: 'POST',
  path: '/api/v1/delegations',
  body: DelegationRequestSchema,
  status: 201,
  response: z.object({ id: z.string() }),
})

/** `GET /api/v1/delegations` → 200 those the caller gave and those given to the caller. */
export const listDelegations = defineRoute({
  method: 'GET',
  path: '/api/v1/delegations',
  status: 200,
  response: z.object({ given: z.array(DelegationView), received: z.array(DelegationView) }),
})

/** `DELETE /api/v1/delegations/<id>` → 204: revoked by the leader who gave it (audited). */
export const revokeDelegation = defineRoute({
  method: 'DELETE',
  path: '/api/v1/delegations/:id',
  params: z.object({ id: IdSchema }),
  status: 204,
  response: z.null(),
})

const ConditionSchema = z.strictObject({
  field: z.string().min(1).max(64),
  op: z.enum(CONDITION_OPS),
  value: z
    .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
    .optional(),
})

/** A flow template as the API shows it (shared/approvals/flowTemplate.ts). */
export const FlowTemplateSchema = z.custom<FlowTemplate>()

/** A flow template as an admin writes it. */
export const FlowTemplateInput = z.strictObject({
  id: IdSchema,
  name: z.string().trim().min(1).max(64),
  subjectType: z.enum(['document', 'form']),
  stages: z
    .array(
      z.strictObject({
        id: IdSchema,
        name: z.string().trim().min(1).max(64),
        kind: z.enum(STAGE_KINDS).optional(),
        mode: z.enum(STAGE_MODES),
        assignees: z.array(AssigneeSpecSchema).min(1).max(50),
        when: z.array(ConditionSchema).max(10).optional(),
        timeLimitHours: z
          .number()
          .positive()
          .max(24 * 365)
          .optional(),
        remindBeforeHours: z
          .number()
          .positive()
          .max(24 * 365)
          .optional(),
      }),
    )
    .min(1)
    .max(30),
})

/** A flow with where it comes from. */
export const FlowView = z.object({
  flow: FlowTemplateSchema,
  /** Built into the product (not editable) or defined by an admin. */
  builtin: z.boolean(),
  updatedAt: z.string().nullable(),
})
export type FlowView = z.infer<typeof FlowView>

/** `GET /api/v1/approval-flows?subjectType=` → 200 every flow (built in first). */
export const listFlows = defineRoute({
  method: 'GET',
  path: '/api/v1/approval-flows',
  query: z.object({ subjectType: z.enum(['document', 'form']).optional() }),
  status: 200,
  response: z.object({ flows: z.array(FlowView) }),
})

/** `PUT /api/v1/admin/approval-flows/<id>` → 200: creates or replaces an admin's flow (audited). */
export const saveFlow = defineRoute({
  method: 'PUT',
  path: '/api/v1/admin/approval-flows/:id',
  params: z.object({ id: IdSchema }),
  body: FlowTemplateInput,
  status: 200,
  response: FlowView,
})

/** A form with where it comes from. */
export const FormView = z.object({
  form: z.custom<FormDefinition>(),
  builtin: z.boolean(),
  updatedAt: z.string().nullable(),
})
export type FormView = z.infer<typeof FormView>

/** `GET /api/v1/approval-forms` → 200 every form (请假, 出差, 用印申请 first). */
export const listForms = defineRoute({
  method: 'GET',
  path: '/api/v1/approval-forms',
  status: 200,
  response: z.object({ forms: z.array(FormView) }),
})

/** `PUT /api/v1/admin/approval-forms/<id>` → 200: creates or replaces an admin's form (audited). */
export const saveForm = defineRoute({
  method: 'PUT',
  path: '/api/v1/admin/approval-forms/:id',
  params: z.object({ id: IdSchema }),
  body: FormDefinitionSchema,
  status: 200,
  response: FormView,
})

/** `PUT /api/v1/admin/units/<id>/agency-code` → 200: the unit's 机关代字 (e.g. 鲁政办发), audited. */
export const setAgencyCode = defineRoute({
  method: 'PUT',
  path: '/api/v1/admin/units/:id/agency-code',
  params: z.object({ id: IdSchema }),
  body: z.strictObject({ agencyCode: z.string().trim().min(1).max(16) }),
  status: 200,
  response: z.object({ unitId: z.string(), agencyCode: z.string() }),
})
