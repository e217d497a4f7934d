/**
 * iCalendar (RFC 5545) export of one meeting: CRLF line ends, lines folded at 75 octets (never
 * inside a UTF-8 character), TEXT values escaped, times in the Asia/Shanghai zone given by a
 * VTIMEZONE (no daylight saving since 1991: one STANDARD rule at +0800), all-day meetings as DATE
 * values, weekly meetings with an RRULE.
 */
import type { MeetingView } from '../../shared/http/routes/meetings'
import { SHANGHAI_OFFSET_MS } from './time'

const CRLF = '\r\n'
const ZONE = 'Asia/Shanghai'

/** @returns a TEXT value escaped (backslash, semicolon, comma, newline). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** @returns a parameter value, quoted, without the characters a quoted value may not hold. */
function param(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`
}

/** @returns a content line folded into lines of at most 75 octets, joined by CRLF + space. */
export function fold(line: string): string {
  const parts: string[] = []
  let current = ''
  let octets = 0
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8')
    // Continuation lines start with a space, which counts against their 75 octets.
    const limit = parts.length === 0 ? 75 : 74
    if (octets + size > limit) {
      parts.push(current)
      current = ''
      octets = 0
    }
    current += char
    octets += size
  }
  parts.push(current)
  return parts.join(`${CRLF} `)
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** @returns `YYYYMMDDTHHMMSS` local to Asia/Shanghai. */
function local(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS)
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
}

/** @returns `YYYYMMDDTHHMMSSZ`. */
function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

const PARTSTAT = {
  accept: 'ACCEPTED',
  decline: 'DECLINED',
  tentative: 'TENTATIVE',
  deputy: 'DELEGATED',
  pending: 'NEEDS-ACTION',
} as const

/** What the export needs besides the view. */
export interface IcsExtras {
  readonly roomName: string | null
  readonly organiserName: string
  readonly now: number
}

/** What one event needs of a meeting (attendees may be left empty: a calendar export). */
export type IcsMeeting = Pick<
  MeetingView,
  | 'id'
  | 'title'
  | 'start'
  | 'end'
  | 'allDay'
  | 'recurrenceUntil'
  | 'onlineLink'
  | 'organiserId'
  | 'attendees'
  | 'rsvps'
>

const HEADER = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Qilu Desk//Meetings//ZH',
  'CALSCALE:GREGORIAN',
  'METHOD:PUBLISH',
  'BEGIN:VTIMEZONE',
  `TZID:${ZONE}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
]

function eventLines(view: IcsMeeting, extras: IcsExtras): string[] {
  const start = Date.parse(view.start)
  const end = Date.parse(view.end)
  return [
    'BEGIN:VEVENT',
    `UID:${view.id}@qilu-desk`,
    `DTSTAMP:${utc(extras.now)}`,
    ...(view.allDay
      ? [
          `DTSTART;VALUE=DATE:${local(start).slice(0, 8)}`,
          `DTEND;VALUE=DATE:${local(end).slice(0, 8)}`,
        ]
      : [`DTSTART;TZID=${ZONE}:${local(start)}`, `DTEND;TZID=${ZONE}:${local(end)}`]),
    ...(view.recurrenceUntil === null
      ? []
      : [`RRULE:FREQ=WEEKLY;UNTIL=${utc(Date.parse(view.recurrenceUntil))}`]),
    `SUMMARY:${escapeText(view.title)}`,
    ...(extras.roomName === null ? [] : [`LOCATION:${escapeText(extras.roomName)}`]),
    ...(view.onlineLink === null ? [] : [`URL:${view.onlineLink}`]),
    `ORGANIZER;CN=${param(extras.organiserName)}:urn:qilu:user:${view.organiserId}`,
    ...view.attendees.map((attendee) => {
      const rsvp = view.rsvps.find((r) => r.userId === attendee.userId)
      const role = attendee.role === 'observer' ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT'
      const status = PARTSTAT[rsvp?.response ?? 'pending']
      return `ATTENDEE;CN=${param(attendee.name)};ROLE=${role};PARTSTAT=${status}:urn:qilu:user:${attendee.userId}`
    }),
    'STATUS:CONFIRMED',
    'END:VEVENT',
  ]
}

/** @returns the `.ics` text of several meetings (a calendar export). */
export function calendarIcs(events: readonly { view: IcsMeeting; extras: IcsExtras }[]): string {
  const lines = [
    ...HEADER,
    ...events.flatMap((event) => eventLines(event.view, event.extras)),
    'END:VCALENDAR',
  ]
  return lines.map(fold).join(CRLF) + CRLF
}

/** @returns the `.ics` text of a meeting. */
export function meetingIcs(view: IcsMeeting, extras: IcsExtras): string {
  return calendarIcs([{ view, extras }])
}
