/**
 * Meetings (办会), DESIGN.md §8: meeting rooms, bookings without double booking, invitations with
 * 代参会, sign-in (签到) by rotating tokens, free/busy, `.ics` export and minutes (纪要).
 *
 * Times are ISO 8601 with an offset on the way in; the relay answers them in +08:00
 * (Asia/Shanghai). Bookings are half-open intervals [start, end).
 *
 * @example
 *   const { id } = await call(createMeeting, {
 *     body: { title: '周例会', start: '2026-12-08T09:00:00+08:00', end: '2026-12-08T10:00:00+08:00',
 *       roomId, attendees: [userId] },
 *   })
 */
import { z } from 'zod'
import { defineDownload, defineRoute, queryNumber } from '../contract'
import { MeetingIdSchema } from './meetingIds'

export * from './meetingRooms'
export { MeetingIdSchema } from './meetingIds'

/** The most invitees of one meeting (persons, after units are expanded). */
export const MAX_ATTENDEES = 500
/** The longest range a calendar, free/busy or slot query may span. */
export const MAX_RANGE_MS = 366 * 86_400_000
/** The longest single meeting. */
export const MAX_MEETING_MS = 7 * 86_400_000

/** An ISO 8601 time with an offset (`Z` or `+08:00`). */
export const IsoTime = z.iso.datetime({ offset: true })

/** A free slot offered instead of a refused booking. */
export const SlotSuggestion = z.object({ start: z.string(), end: z.string(), roomId: z.string() })
export type SlotSuggestion = z.infer<typeof SlotSuggestion>

/** `POST /api/v1/meetings` body. */
export const CreateMeetingRequest = z.strictObject({
  title: z.string().trim().min(1).max(200),
  start: IsoTime,
  end: IsoTime,
  roomId: MeetingIdSchema.optional(),
  /** Required attendees, by person. */
  attendees: z.array(MeetingIdSchema).max(MAX_ATTENDEES),
  /** Units invited: every active member of each (expanded when the meeting is created). */
  unitIds: z.array(MeetingIdSchema).max(50).optional(),
  /** 列席: non-voting attendees. */
  observers: z.array(MeetingIdSchema).max(MAX_ATTENDEES).optional(),
  onlineLink: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  allDay: z.boolean().optional(),
  /** Weekly on the same weekday and time until this time (inclusive of a meeting starting then). */
  recurrence: z.strictObject({ weekly: z.strictObject({ until: IsoTime }) }).optional(),
  /** Minutes before the start at which invitees are reminded (default 15; empty: none). */
  remindMinutes: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60),
    )
    .max(3)
    .optional(),
})
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>

/** `POST /api/v1/meetings` → 201 `{ id }`; 409 `room_conflict` with `error.details.suggestions`. */
export const createMeeting = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings',
  body: CreateMeetingRequest,
  status: 201,
  response: z.object({
    id: z.string(),
    /** How many persons each invited unit reached (a unit invitation expands to its members). */
    expandedUnits: z.array(z.object({ unitId: z.string(), members: z.number() })),
    /** Occurrences booked (1 unless weekly). */
    occurrences: z.number(),
  }),
})

/** An RSVP answer. */
export const RSVP_RESPONSES = ['accept', 'decline', 'tentative', 'deputy'] as const
export type RsvpResponse = (typeof RSVP_RESPONSES)[number]

/** One invitee's answer. */
export const RsvpView = z.object({
  userId: z.string(),
  response: z.enum([...RSVP_RESPONSES, 'pending']),
  reason: z.string().nullable(),
  deputyId: z.string().nullable(),
  at: z.string().nullable(),
})

/** One sign-in. */
export const CheckinView = z.object({
  userId: z.string(),
  at: z.string(),
  late: z.boolean(),
  /** `self` (the QR token) or `organiser` (marked). */
  by: z.enum(['self', 'organiser']),
})

/** One invitee. */
export const AttendeeView = z.object({
  userId: z.string(),
  name: z.string(),
  /** `required`, or `observer` (列席). */
  role: z.enum(['required', 'observer']),
  /** The unit whose invitation reached this person, when it came through a unit. */
  viaUnitId: z.string().nullable(),
  /** Whom this person attends for (代参会), when a deputy. */
  deputyFor: z.string().nullable(),
})

/** Live counts of a meeting. */
export const MeetingCounts = z.object({
  invited: z.number(),
  accepted: z.number(),
  declined: z.number(),
  tentative: z.number(),
  deputy: z.number(),
  pending: z.number(),
  checkedIn: z.number(),
  late: z.number(),
})

/** A document attached to a meeting: its agenda or a material (read by every invitee). */
export const MeetingDocumentView = z.object({
  documentId: z.string(),
  kind: z.enum(['agenda', 'material']),
  title: z.string(),
})
export type MeetingDocumentView = z.infer<typeof MeetingDocumentView>

/** One 议定事项: a follow-up task with an owner and a due date (Asia/Shanghai `YYYY-MM-DD`). */
export const MeetingTaskView = z.object({
  id: z.string(),
  meetingId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  dueDate: z.string(),
  status: z.enum(['open', 'done']),
  doneAt: z.string().nullable(),
})
export type MeetingTaskView = z.infer<typeof MeetingTaskView>

/** Where the minutes stand: a draft, or their latest approval's status. */
export const MinutesStatus = z.enum(['draft', 'running', 'approved', 'rejected', 'withdrawn'])
export type MinutesStatus = z.infer<typeof MinutesStatus>

/** `GET /api/v1/meetings/<id>` → §8's shape, extended. Also the `view` map of `meeting:<id>`. */
export const MeetingView = z.object({
  id: z.string(),
  title: z.string(),
  start: z.string(),
  end: z.string(),
  roomId: z.string().nullable(),
  attendees: z.array(AttendeeView),
  rsvps: z.array(RsvpView),
  checkins: z.array(CheckinView),
  /**
   * The start of the occurrence `checkins` and the check-in counts are about: the one open for
   * sign-in now, else the last one whose sign-in has opened, else the first.
   */
  checkinsOf: z.string(),
  organiserId: z.string(),
  observers: z.array(z.string()),
  onlineLink: z.string().nullable(),
  allDay: z.boolean(),
  /** Weekly until, when recurring. */
  recurrenceUntil: z.string().nullable(),
  minutesDocumentId: z.string().nullable(),
  counts: MeetingCounts,
  /** The organiser's display name (invitees need not know the organiser otherwise). */
  organiserName: z.string(),
  /** The agenda and materials, agenda first. */
  documents: z.array(MeetingDocumentView),
  /** Null while there are no minutes. */
  minutesStatus: MinutesStatus.nullable(),
  /** 议定事项, in the order recorded. */
  tasks: z.array(MeetingTaskView),
})
export type MeetingView = z.infer<typeof MeetingView>

/** `GET /api/v1/meetings/<id>` (invitees, organiser) → 200; others 403 `not_invited`. */
export const getMeeting = defineRoute({
  method: 'GET',
  path: '/api/v1/meetings/:id',
  params: z.object({ id: MeetingIdSchema }),
  status: 200,
  response: MeetingView,
})

/** `POST /api/v1/meetings/<id>/rsvp` → 200. */
export const rsvpMeeting = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/rsvp',
  params: z.object({ id: MeetingIdSchema }),
  body: z.strictObject({
    response: z.enum(RSVP_RESPONSES),
    deputyId: MeetingIdSchema.optional(),
    reason: z.string().trim().max(500).optional(),
  }),
  status: 200,
  response: z.object({ response: z.enum(RSVP_RESPONSES) }),
})

/** A calendar entry. */
export const CalendarEntry = z.object({
  meetingId: z.string(),
  title: z.string(),
  start: z.string(),
  end: z.string(),
  roomId: z.string().nullable(),
  allDay: z.boolean(),
})

const RangeQuery = z.object({ from: IsoTime, to: IsoTime })

/** `GET /api/v1/meetings?from&to` → 200 the caller's meetings (organised or invited) in the range. */
export const myMeetings = defineRoute({
  method: 'GET',
  path: '/api/v1/meetings',
  query: RangeQuery,
  status: 200,
  response: z.object({ meetings: z.array(CalendarEntry) }),
})

/** `GET /api/v1/meeting-rooms/<id>/calendar?from&to` → 200 the room's bookings (rooms I can see). */
export const roomCalendar = defineRoute({
  method: 'GET',
  path: '/api/v1/meeting-rooms/:id/calendar',
  params: z.object({ id: MeetingIdSchema }),
  query: RangeQuery,
  status: 200,
  response: z.object({ bookings: z.array(CalendarEntry) }),
})

/** `GET /api/v1/meetings/<id>/checkin-token` (organiser) → 200 `{ token, expiresAt }`. */
export const checkinToken = defineRoute({
  method: 'GET',
  path: '/api/v1/meetings/:id/checkin-token',
  params: z.object({ id: MeetingIdSchema }),
  status: 200,
  response: z.object({ token: z.string(), expiresAt: z.string(), url: z.string() }),
})

/** `POST /api/v1/meetings/<id>/checkin` `{ token }` → 200; 410 / 403 / 409 per §8. */
export const checkin = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/checkin',
  params: z.object({ id: MeetingIdSchema }),
  body: z.strictObject({ token: z.string().min(1).max(300) }),
  status: 200,
  response: CheckinView,
})

/** `POST /api/v1/meetings/<id>/attendance` (organiser) marks someone present. */
export const markAttendance = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/attendance',
  params: z.object({ id: MeetingIdSchema }),
  body: z.strictObject({ userId: MeetingIdSchema, late: z.boolean().optional() }),
  status: 200,
  response: CheckinView,
})

/** `GET /api/v1/meetings/<id>/ics` → `text/calendar`. */
export const meetingIcs = defineDownload({
  method: 'GET',
  path: '/api/v1/meetings/:id/ics',
  params: z.object({ id: MeetingIdSchema }),
  contentType: 'text/calendar; charset=utf-8',
})

/** A busy block. */
export const BusyBlock = z.object({ start: z.string(), end: z.string() })

/** `GET /api/v1/free-busy?userIds=a,b&from&to` → 200 busy blocks per person (no titles). */
export const freeBusy = defineRoute({
  method: 'GET',
  path: '/api/v1/free-busy',
  query: RangeQuery.extend({
    userIds: z
      .string()
      .min(1)
      .max(MAX_ATTENDEES * 65),
  }),
  status: 200,
  response: z.object({ busy: z.record(z.string(), z.array(BusyBlock)) }),
})

/** `GET /api/v1/meeting-slots?userIds&from&to&minutes&capacity?` → the earliest fitting slot. */
export const meetingSlots = defineRoute({
  method: 'GET',
  path: '/api/v1/meeting-slots',
  query: RangeQuery.extend({
    userIds: z
      .string()
      .min(1)
      .max(MAX_ATTENDEES * 65),
    minutes: queryNumber()
      .int()
      .min(5)
      .max(24 * 60),
    capacity: queryNumber().int().min(1).max(10_000).optional(),
  }),
  status: 200,
  response: z.object({ slot: SlotSuggestion.nullable() }),
})

/** `POST /api/v1/meetings/<id>/minutes` (organiser) → 201 the 纪要 document, prefilled. */
export const createMinutes = defineRoute({
  method: 'POST',
  path: '/api/v1/meetings/:id/minutes',
  params: z.object({ id: MeetingIdSchema }),
  status: 201,
  response: z.object({ documentId: z.string() }),
})

/**
 * `GET /api/v1/calendar/ics?from&to` → `text/calendar`: the caller's meetings in the range (a
 * weekly meeting once, with its RRULE), without attendee lists.
 */
export const myCalendarIcs = defineDownload({
  method: 'GET',
  path: '/api/v1/calendar/ics',
  query: RangeQuery,
  contentType: 'text/calendar; charset=utf-8',
})
