/** `/api/v1/units` and `/api/v1/admin/units`: the org tree (省 → 市 → 县 → 乡镇, departments). */
import { z } from 'zod'
import { UNIT_KINDS } from '../../domain/org'
import type { UnitKind } from '../../domain/org'
import { defineRoute } from '../contract'

/** A unit's kind. */
export const UnitKindSchema = z.enum(UNIT_KINDS as [UnitKind, ...UnitKind[]])

/** A unit or account id in a path or body. */
export const EntityId = z.string().min(1).max(64)

/** A unit of the org tree. */
export const ApiUnit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  kind: UnitKindSchema,
  name: z.string(),
  code: z.string(),
  sortOrder: z.number(),
  /** Ids from the root down to this unit (inclusive). */
  path: z.array(z.string()).readonly(),
  /** The unit's own 机关代字 (e.g. 鲁政办发) when one is set; `GET /units` fills it. */
  agencyCode: z.string().optional(),
})
export type ApiUnit = z.infer<typeof ApiUnit>

const unitCode = z.string().trim()
const sortOrder = z.number().int().min(0).max(1_000_000)

/** POST /admin/units */
export const CreateUnitRequest = z.object({
  parentId: EntityId.nullable(),
  kind: UnitKindSchema,
  name: z.string().trim().min(1).max(100),
  code: unitCode.regex(
    /^[A-Za-z0-9_-]{1,32}$/,
    '单位代码只能包含字母、数字、下划线和连字符 (code: letters, digits, _ and -)',
  ),
  sortOrder: sortOrder.optional(),
})

/** PATCH /admin/units/<id> */
export const UpdateUnitRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  code: unitCode.regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
  sortOrder: sortOrder.optional(),
})

/** POST /admin/units/<id>/move */
export const MoveUnitRequest = z.object({ parentId: EntityId })

const UnitParams = z.object({ id: EntityId })

/** `GET /api/v1/units` → 200 the whole tree, parents before children. */
export const listUnits = defineRoute({
  method: 'GET',
  path: '/api/v1/units',
  status: 200,
  response: z.object({ units: z.array(ApiUnit) }),
})

/** `POST /api/v1/admin/units` → 201 the unit (DESIGN.md §6). */
export const createUnit = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/units',
  body: CreateUnitRequest,
  status: 201,
  response: ApiUnit,
})

/** `PATCH /api/v1/admin/units/:id` → 200 the unit, renamed, recoded or reordered. */
export const updateUnit = defineRoute({
  method: 'PATCH',
  path: '/api/v1/admin/units/:id',
  params: UnitParams,
  body: UpdateUnitRequest,
  status: 200,
  response: ApiUnit,
})

/** `POST /api/v1/admin/units/:id/move` → 200 the unit under its new parent. */
export const moveUnit = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/units/:id/move',
  params: UnitParams,
  body: MoveUnitRequest,
  status: 200,
  response: ApiUnit,
})

/** `DELETE /api/v1/admin/units/:id` → 204 (an empty unit only). */
export const deleteUnit = defineRoute({
  method: 'DELETE',
  path: '/api/v1/admin/units/:id',
  params: UnitParams,
  status: 204,
  response: z.null(),
})
