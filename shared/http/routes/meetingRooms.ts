/**
 * Meeting rooms (会议室), DESIGN.md §8: made and changed by the administrators of their unit, seen by
 * its people and, when shared, by everyone. Re-exported by `./meetings`.
 */
import { z } from 'zod'
import { defineRoute } from '../contract'
import { MeetingIdSchema } from './meetingIds'

/** Equipment a room may have. */
export const EQUIPMENT = ['projector', 'video', 'screen', 'microphone', 'whiteboard'] as const

/** Opening hours, local Asia/Shanghai `HH:MM`. */
export const OpeningHours = z.strictObject({
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  to: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/),
})
export type OpeningHours = z.infer<typeof OpeningHours>

/** A meeting room as its unit and the shared-room users see it. */
export const MeetingRoomView = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  capacity: z.number(),
  equipment: z.array(z.string()),
  openingHours: OpeningHours.nullable(),
  /** Bookable by every unit, not only its own. */
  shared: z.boolean(),
  active: z.boolean(),
})
export type MeetingRoomView = z.infer<typeof MeetingRoomView>

const RoomFields = {
  name: z.string().trim().min(1).max(100),
  capacity: z.number().int().min(1).max(10_000),
  equipment: z.array(z.enum(EQUIPMENT)).max(EQUIPMENT.length).optional(),
  openingHours: OpeningHours.optional(),
  shared: z.boolean().optional(),
}

/** `POST /api/v1/meeting-rooms` (unit admin of `unitId`) → 201 `{ id }`. */
export const createMeetingRoom = defineRoute({
  method: 'POST',
  path: '/api/v1/meeting-rooms',
  body: z.strictObject({ ...RoomFields, unitId: MeetingIdSchema }),
  status: 201,
  response: z.object({ id: z.string() }),
})

/**
 * `GET /api/v1/meeting-rooms` → 200 the active rooms of the caller's units and the shared ones;
 * with `inactive=true`, also the deactivated rooms of the units the caller administers (for the
 * rooms admin list; they are never offered for booking).
 */
export const listMeetingRooms = defineRoute({
  method: 'GET',
  path: '/api/v1/meeting-rooms',
  query: z.object({ inactive: z.enum(['true', 'false']).optional() }),
  status: 200,
  response: z.object({ rooms: z.array(MeetingRoomView) }),
})

/** `PATCH /api/v1/meeting-rooms/<id>` (unit admin) → 200 the room; `active: false` deactivates it. */
export const updateMeetingRoom = defineRoute({
  method: 'PATCH',
  path: '/api/v1/meeting-rooms/:id',
  params: z.object({ id: MeetingIdSchema }),
  body: z.strictObject({
    name: RoomFields.name.optional(),
    capacity: RoomFields.capacity.optional(),
    equipment: RoomFields.equipment,
    openingHours: OpeningHours.nullable().optional(),
    shared: z.boolean().optional(),
    active: z.boolean().optional(),
  }),
  status: 200,
  response: MeetingRoomView,
})
