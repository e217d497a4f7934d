/**
 * The read shape of a meeting (DESIGN.md §8 `GET /meetings/<id>`, extended with counts), built from
 * its rows. The same object is the `view` map of the read-only `meeting:<id>` room.
 */
import type { MeetingView } from '../../shared/http/routes/meetings'
import type { CheckinRow, InviteeRow, MeetingRow } from '../storage/meetings/MeetingStore'
import { shanghaiIso } from './time'

type Response = MeetingView['rsvps'][number]['response']

function responseOf(value: string): Response {
  switch (value) {
    case 'accept':
    case 'decline':
    case 'tentative':
    case 'deputy':
      return value
    default:
      return 'pending'
  }
}

/**
 * @param checkins the sign-ins of the occurrence attendance is about (`occurrenceStart`)
 * @param names user ids to display names
 * @returns the view of a meeting
 */
export function meetingView(
  meeting: MeetingRow,
  invitees: readonly InviteeRow[],
  checkins: readonly CheckinRow[],
  occurrenceStart: number,
  names: ReadonlyMap<string, string>,
): MeetingView {
  const counts = {
    invited: invitees.length,
    accepted: 0,
    declined: 0,
    tentative: 0,
    deputy: 0,
    pending: 0,
    checkedIn: 0,
    late: 0,
  }
  const key = {
    accept: 'accepted',
    decline: 'declined',
    tentative: 'tentative',
    deputy: 'deputy',
    pending: 'pending',
  } as const
  for (const invitee of invitees) {
    counts[key[responseOf(invitee.response)]] += 1
  }
  for (const checkin of checkins) {
    counts.checkedIn += 1
    counts.late += checkin.late === 1 ? 1 : 0
  }
  return {
    id: meeting.id,
    title: meeting.title,
    start: shanghaiIso(Number(meeting.start_at)),
    end: shanghaiIso(Number(meeting.end_at)),
    roomId: meeting.room_id,
    attendees: invitees.map((row) => ({
      userId: row.user_id,
      name: names.get(row.user_id) ?? '',
      role: row.role === 'observer' ? ('observer' as const) : ('required' as const),
      viaUnitId: row.via_unit_id,
      deputyFor: row.deputy_for,
    })),
    rsvps: invitees.map((row) => ({
      userId: row.user_id,
      response: responseOf(row.response),
      reason: row.reason,
      deputyId: row.deputy_id,
      at: row.responded_at === null ? null : shanghaiIso(Number(row.responded_at)),
    })),
    checkins: checkins.map((row) => ({
      userId: row.user_id,
      at: shanghaiIso(Number(row.at)),
      late: row.late === 1,
      by: row.by === 'organiser' ? ('organiser' as const) : ('self' as const),
    })),
    checkinsOf: shanghaiIso(occurrenceStart),
    organiserId: meeting.organiser_id,
    observers: invitees.filter((row) => row.role === 'observer').map((row) => row.user_id),
    onlineLink: meeting.online_link,
    allDay: meeting.all_day === 1,
    recurrenceUntil:
      meeting.recurrence_until === null ? null : shanghaiIso(Number(meeting.recurrence_until)),
    minutesDocumentId: meeting.minutes_document_id,
    counts,
  }
}
