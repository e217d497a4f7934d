/** The meeting-room form: its fields, and the create / update bodies they make. */
import { EQUIPMENT } from '../../../../../shared/http/routes/meetings'
import type { MeetingRoomView } from '../meetingsApi'

export type Equipment = (typeof EQUIPMENT)[number]
export { EQUIPMENT }

/** The form's fields. */
export interface RoomFormFields {
  name: string
  unitId: string | null
  capacity: number
  equipment: Equipment[]
  /** Both empty: open whenever the building is. */
  hoursFrom: string
  hoursTo: string
  shared: boolean
}

/** @returns an empty form, or one holding a room's values. */
export function roomFields(room: MeetingRoomView | null, unitId: string | null): RoomFormFields {
  return {
    name: room?.name ?? '',
    unitId: room?.unitId ?? unitId,
    capacity: room?.capacity ?? 10,
    equipment: (room?.equipment ?? []).filter((e): e is Equipment =>
      (EQUIPMENT as readonly string[]).includes(e),
    ),
    hoursFrom: room?.openingHours?.from ?? '',
    hoursTo: room?.openingHours?.to ?? '',
    shared: room?.shared ?? false,
  }
}

/** @returns the problem's message key, or null when the fields can be sent. */
export function roomProblem(fields: RoomFormFields): string | null {
  if (fields.name.trim() === '' || fields.unitId === null) {
    return 'meetings.rooms.required'
  }
  if (
    (fields.hoursFrom === '') !== (fields.hoursTo === '') ||
    (fields.hoursFrom !== '' && fields.hoursFrom >= fields.hoursTo)
  ) {
    return 'meetings.rooms.badHours'
  }
  return null
}

/** @returns the opening hours of the fields, or null when none are set. */
export function hoursOf(fields: RoomFormFields): { from: string; to: string } | null {
  return fields.hoursFrom === '' ? null : { from: fields.hoursFrom, to: fields.hoursTo }
}
