/**
 * Meetings routes (shared/http/routes/meetings.ts, DESIGN.md §8). Room administration needs an
 * administrator (the service checks the unit's scope); everything else a signed-in user, the
 * services deciding who is invited or organises.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  checkin,
  checkinToken,
  createMeeting,
  createMeetingRoom,
  createMinutes,
  freeBusy,
  getMeeting,
  listMeetingRooms,
  markAttendance,
  meetingIcs,
  meetingSlots,
  myCalendarIcs,
  myMeetings,
  roomCalendar,
  rsvpMeeting,
  updateMeetingRoom,
} from '../../shared/http/routes/meetings'
import {
  attachMeetingDocument,
  completeMeetingTask,
  createMeetingTask,
  detachMeetingDocument,
  myMeetingTasks,
  withdrawInvitation,
} from '../../shared/http/routes/meetingFollowUp'
import type { MeetingsModule } from '../meetings'
import type { RequestActor } from '../services/actor'
import { roomView } from '../meetings/MeetingRoomService'
import { calendarIcs, meetingIcs as icsOf } from '../meetings/ics'
import type { HttpContext } from './context'
import { actorOf } from './context'
import { adminActor } from './adminRoutes'
import { attachment, handle, handleDownload } from './contractRoute'

/** Registers the meetings routes. */
export function meetingRoutes(app: FastifyInstance, context: HttpContext, m: MeetingsModule): void {
  const signedIn = (request: FastifyRequest) => actorOf(context, request)
  const admin = (request: FastifyRequest) => adminActor(context, request)

  handle(app, createMeetingRoom, admin, async ({ auth, body }) => m.rooms.create(auth, body))
  handle(app, listMeetingRooms, signedIn, async ({ auth, query }) => ({
    rooms: (query.inactive === 'true'
      ? await m.rooms.administered(auth)
      : await m.rooms.visible(auth.userId)
    ).map(roomView),
  }))
  handle(app, updateMeetingRoom, admin, async ({ auth, params, body }) =>
    m.rooms.update(auth, params.id, body),
  )
  handle(app, roomCalendar, signedIn, async ({ auth, params, query }) => ({
    bookings: await m.calendar.room(auth, params.id, query),
  }))

  handle(app, createMeeting, signedIn, async ({ auth, body }) => m.meetings.create(auth, body))
  handle(app, myMeetings, signedIn, async ({ auth, query }) => ({
    meetings: await m.calendar.mine(auth, query),
  }))
  handle(app, getMeeting, signedIn, async ({ auth, params }) => {
    const { meeting, invitees } = await m.reader.participation(auth, params.id, 'meeting.read')
    return m.reader.view(meeting, invitees)
  })
  handle(app, rsvpMeeting, signedIn, async ({ auth, params, body }) =>
    m.meetings.rsvp(auth, params.id, body),
  )
  handle(app, checkinToken, signedIn, async ({ auth, params }) => m.checkins.token(auth, params.id))
  handle(app, checkin, signedIn, async ({ auth, params, body }) =>
    m.checkins.checkin(auth, params.id, body.token),
  )
  handle(app, markAttendance, signedIn, async ({ auth, params, body }) =>
    m.checkins.mark(auth, params.id, body.userId, body.late),
  )
  handleDownload(app, meetingIcs, signedIn, async ({ auth, params, reply }) => {
    const { meeting, invitees } = await m.reader.participation(auth, params.id, 'meeting.ics')
    const view = await m.reader.view(meeting, invitees)
    const room = meeting.room_id === null ? null : await m.rooms.byId(meeting.room_id)
    const organiser = await context.storage.users.byId(meeting.organiser_id)
    const text = icsOf(view, {
      roomName: room?.name ?? null,
      organiserName: organiser?.display_name ?? '',
      now: Date.now(),
    })
    return reply
      .type(meetingIcs.contentType)
      .header('Content-Disposition', attachment(`meeting-${meeting.id}.ics`))
      .send(text)
  })
  handleDownload(app, myCalendarIcs, signedIn, async ({ auth, query, reply }) => {
    const now = Date.now()
    const events = await m.calendar.mineForExport(auth, query)
    return reply
      .type(myCalendarIcs.contentType)
      .header('Content-Disposition', attachment('calendar.ics'))
      .send(calendarIcs(events.map((event) => ({ ...event, extras: { ...event.extras, now } }))))
  })
  handle(app, freeBusy, signedIn, async ({ query }) => ({ busy: await m.calendar.freeBusy(query) }))
  handle(app, meetingSlots, signedIn, async ({ auth, query }) => ({
    slot: await m.calendar.slot(auth, query),
  }))
  handle(app, createMinutes, signedIn, async ({ auth, params }) =>
    m.minutes.create(auth, params.id),
  )
  followUpRoutes(app, signedIn, m)
}

/** The follow-up routes: agenda and materials, withdrawn invitations, 议定事项. */
function followUpRoutes(
  app: FastifyInstance,
  signedIn: (request: FastifyRequest) => Promise<RequestActor>,
  m: MeetingsModule,
): void {
  handle(app, attachMeetingDocument, signedIn, async ({ auth, params, body }) =>
    m.followUp.attach(auth, params.id, body),
  )
  handle(app, detachMeetingDocument, signedIn, async ({ auth, params }) => {
    await m.followUp.detach(auth, params.id, params.documentId)
    return null
  })
  handle(app, withdrawInvitation, signedIn, async ({ auth, params }) => ({
    withdrawn: await m.followUp.withdraw(auth, params.id, params.userId),
  }))
  handle(app, createMeetingTask, signedIn, async ({ auth, params, body }) =>
    m.followUp.createTask(auth, params.id, body),
  )
  handle(app, completeMeetingTask, signedIn, async ({ auth, params }) =>
    m.followUp.completeTask(auth, params.id),
  )
  handle(app, myMeetingTasks, signedIn, async ({ auth }) => ({
    tasks: await m.followUp.mine(auth),
  }))
}
