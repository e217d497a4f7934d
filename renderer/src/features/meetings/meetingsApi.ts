/**
 * The meetings routes of DESIGN.md §8 as the screens use them, the one place of this feature that
 * calls the relay; plus the error helpers the screens share.
 */
import {
  checkin as checkinRoute,
  checkinToken as checkinTokenRoute,
  createMeeting as createMeetingRoute,
  createMeetingRoom,
  createMinutes as createMinutesRoute,
  freeBusy as freeBusyRoute,
  getMeeting as getMeetingRoute,
  listMeetingRooms,
  markAttendance as markAttendanceRoute,
  meetingIcs,
  myCalendarIcs,
  meetingSlots,
  myMeetings as myMeetingsRoute,
  roomCalendar as roomCalendarRoute,
  rsvpMeeting,
  SlotSuggestion,
  updateMeetingRoom,
} from '../../../../shared/http/routes/meetings'
import type {
  CreateMeetingRequest,
  MeetingRoomView,
  MeetingView,
  OpeningHours,
  RsvpResponse,
} from '../../../../shared/http/routes/meetings'
import {
  attachMeetingDocument,
  completeMeetingTask,
  createMeetingTask,
  detachMeetingDocument,
  withdrawInvitation as withdrawInvitationRoute,
} from '../../../../shared/http/routes/meetingFollowUp'
import type { RouteInput } from '../../../../shared/http/contract'
import type { UserSummary } from '../../../../shared/http/routes/users'
import { searchUsers as searchUsersRoute } from '../../../../shared/http/routes/users'
import { call, download } from '../../api/call'
import type { FetchedFile } from '../../api/call'
import { ApiError } from '../../api/errors'
import { getBridge } from '../../bridge'
import type { CalendarItem } from './calendar'
import { shanghaiIso } from './calendar'

export type { MeetingRoomView, MeetingView, RsvpResponse, UserSummary }

/** @returns my meetings in [from, to). */
export async function myMeetings(from: number, to: number): Promise<CalendarItem[]> {
  const { meetings } = await call(myMeetingsRoute, {
    query: { from: shanghaiIso(from), to: shanghaiIso(to) },
  })
  return meetings
}

/** @returns a room's bookings in [from, to). */
export async function roomBookings(
  roomId: string,
  from: number,
  to: number,
): Promise<CalendarItem[]> {
  const { bookings } = await call(roomCalendarRoute, {
    params: { id: roomId },
    query: { from: shanghaiIso(from), to: shanghaiIso(to) },
  })
  return bookings
}

/**
 * @param inactiveToo also the deactivated rooms of the units I administer (the admin list)
 * @returns the rooms I may book (my units' and the shared ones)
 */
export async function listRooms(inactiveToo = false): Promise<MeetingRoomView[]> {
  return (await call(listMeetingRooms, { query: inactiveToo ? { inactive: 'true' } : {} })).rooms
}

/** Creates a room (unit admin). */
export async function createRoom(body: {
  name: string
  unitId: string
  capacity: number
  equipment: ('projector' | 'video' | 'screen' | 'microphone' | 'whiteboard')[]
  openingHours?: OpeningHours
  shared: boolean
}): Promise<string> {
  return (await call(createMeetingRoom, { body })).id
}

/** Changes a room (unit admin). */
export function updateRoom(
  id: string,
  body: RouteInput<typeof updateMeetingRoom>['body'],
): Promise<MeetingRoomView> {
  return call(updateMeetingRoom, { params: { id }, body })
}

/** Schedules a meeting. @throws ApiError room_conflict with `details.suggestions` */
export async function createMeeting(body: CreateMeetingRequest): Promise<string> {
  return (await call(createMeetingRoute, { body })).id
}

/** @returns the suggestions a refused booking carries (the ones that parse); null for other errors. */
export function conflictSuggestions(error: unknown): SlotSuggestion[] | null {
  if (!(error instanceof ApiError) || error.code !== 'room_conflict') {
    return null
  }
  const raw = error.details?.suggestions
  return Array.isArray(raw)
    ? raw.flatMap((entry) => {
        const parsed = SlotSuggestion.safeParse(entry)
        return parsed.success ? [parsed.data] : []
      })
    : []
}

/** @returns the meeting as the relay shows it to me. */
export function getMeeting(id: string): Promise<MeetingView> {
  return call(getMeetingRoute, { params: { id } })
}

/** Sends my answer. */
export async function sendRsvp(
  id: string,
  body: { response: RsvpResponse; reason?: string; deputyId?: string },
): Promise<void> {
  await call(rsvpMeeting, { params: { id }, body })
}

/** @returns busy blocks of each person in [from, to). */
export async function freeBusy(
  userIds: readonly string[],
  from: number,
  to: number,
): Promise<Record<string, { start: string; end: string }[]>> {
  const { busy } = await call(freeBusyRoute, {
    query: { userIds: userIds.join(','), from: shanghaiIso(from), to: shanghaiIso(to) },
  })
  return busy
}

/** @returns the earliest slot in [from, to) that fits every person (and a free room), or null. */
export async function earliestSlot(
  userIds: readonly string[],
  from: number,
  to: number,
  minutes: number,
): Promise<SlotSuggestion | null> {
  const { slot } = await call(meetingSlots, {
    query: {
      userIds: userIds.join(','),
      from: shanghaiIso(from),
      to: shanghaiIso(to),
      minutes,
    },
  })
  return slot
}

/** @returns the current sign-in token (organiser). */
export function fetchCheckinToken(
  id: string,
): Promise<{ token: string; expiresAt: string; url: string }> {
  return call(checkinTokenRoute, { params: { id } })
}

/** Signs me in with a token. */
export function checkIn(id: string, token: string): Promise<{ late: boolean }> {
  return call(checkinRoute, { params: { id }, body: { token } })
}

/** Marks someone present (organiser). */
export async function markPresent(id: string, userId: string, late: boolean): Promise<void> {
  await call(markAttendanceRoute, { params: { id }, body: { userId, late } })
}

/** Creates the 纪要 (organiser). @returns its document id */
export async function createMinutes(id: string): Promise<string> {
  return (await call(createMinutesRoute, { params: { id } })).documentId
}

/** Attaches a document I own, or a new one with `title` (organiser). @returns its id */
export async function attachDocument(
  id: string,
  body: { kind: 'agenda' | 'material'; documentId?: string; title?: string },
): Promise<string> {
  return (await call(attachMeetingDocument, { params: { id }, body })).documentId
}

/** Detaches a document (organiser): invitees no longer read it through the meeting. */
export async function detachDocument(id: string, documentId: string): Promise<void> {
  await call(detachMeetingDocument, { params: { id, documentId } })
}

/** Withdraws an invitation (organiser). */
export async function withdrawInvitation(id: string, userId: string): Promise<void> {
  await call(withdrawInvitationRoute, { params: { id, userId } })
}

/** Records a 议定事项 (organiser or a minutes editor). */
export async function addTask(
  id: string,
  body: { title: string; ownerId: string; dueDate: string },
): Promise<void> {
  await call(createMeetingTask, { params: { id }, body })
}

/** Marks a 议定事项 done (its owner or the organiser). */
export async function completeTask(taskId: string): Promise<void> {
  await call(completeMeetingTask, { params: { id: taskId } })
}

/** @returns up to 20 active users matching `q`. */
export async function searchUsers(q: string): Promise<UserSummary[]> {
  return (await call(searchUsersRoute, { query: { q } })).users
}

/** Hands an .ics file to the save dialog (a download on the web). @returns false when cancelled */
async function saveIcs(file: FetchedFile, name: string): Promise<boolean> {
  const result = await getBridge().saveFile({
    suggestedName: `${name.replace(/[\\/:*?"<>|]/g, '_')}.ics`,
    mimeType: file.mimeType,
    data: file.data,
  })
  if (result.ok) {
    return result.value.saved
  }
  if (result.code === 'cancelled') {
    return false
  }
  throw new ApiError('internal', `save failed: ${result.code}`, 0)
}

/** Exports one meeting as .ics. @returns false when the user cancelled the dialog */
export async function exportIcs(id: string, title: string): Promise<boolean> {
  return saveIcs(await download(meetingIcs, { params: { id } }), title)
}

/** Exports my meetings in [from, to) as one .ics. @returns false when cancelled */
export async function exportCalendarIcs(from: number, to: number, name: string): Promise<boolean> {
  const file = await download(myCalendarIcs, {
    query: { from: shanghaiIso(from), to: shanghaiIso(to) },
  })
  return saveIcs(file, name)
}

/** @returns whether an error means the relay could not be reached. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof ApiError && error.isNetwork
}
