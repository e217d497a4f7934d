/**
 * The read shape of a meeting (DESIGN.md §8 `GET /meetings/<id>`, extended with counts), built from
 * its rows. The same object is the `view` map of the read-only `meeting:<id>` room.
 */
import type {
  MeetingDocumentView,
  MeetingTaskView,
  MeetingView,
  MinutesStatus,
} from '../../shared/http/routes/meetings'
import type { CheckinRow, InviteeRow, MeetingRow } from '../storage/meetings/MeetingStore'
import type { MeetingDocumentRow, MeetingTaskRow } from '../storage/meetings/FollowUpStore'
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

/** What the view shows besides the meeting's own rows. */
export interface ViewExtras {
  readonly organiserName: string
  readonly documents: readonly MeetingDocumentRow[]
  readonly minutesStatus: MinutesStatus | null
  readonly tasks: readonly MeetingTaskRow[]
}

/** @returns the view of a task (`names`: user ids to display names). */
export function taskView(row: MeetingTaskRow, names: ReadonlyMap<string, string>): MeetingTaskView {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    title: row.title,
    ownerId: row.owner_id,
    ownerName: names.get(row.owner_id) ?? '',
    dueDate: row.due_date,
    status: row.status === 'done' ? 'done' : 'open',
    doneAt: row.done_at === null ? null : shanghaiIso(Number(row.done_at)),
  }
}

function documentView(row: MeetingDocumentRow): MeetingDocumentView {
  return {
    documentId: row.document_id,
    kind: row.kind === 'agenda' ? 'agenda' : 'material',
    title: row.title,
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
  extras: ViewExtras,
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
    organiserName: extras.organiserName,
    documents: [
      ...extras.documents.filter((row) => row.kind === 'agenda'),
      ...extras.documents.filter((row) => row.kind !== 'agenda'),
    ].map(documentView),
    minutesStatus: extras.minutesStatus,
    tasks: extras.tasks.map((row) => taskView(row, names)),
  }
}
