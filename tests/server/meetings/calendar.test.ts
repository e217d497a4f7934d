/**
 * Calendars on SQLite and PostgreSQL through the real relay: the `.ics` export (parsed by Mozilla's
 * ical.js, which must find the event in its Asia/Shanghai time zone, and checked line by line: CRLF,
 * folded at 75 octets without splitting a character, balanced components, a VTIMEZONE for every
 * TZID used, escaped TEXT that unescapes to the title, local Asia/Shanghai times), weekly recurrence booking every occurrence, all-day
 * meetings, my calendar, a room's calendar, free/busy per person and the earliest common slot.
 */
import ICAL from 'ical.js'
import { describe, expect, test } from 'vitest'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, makeRoom, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

/** One content line: name, parameters, value. */
interface Line {
  readonly name: string
  readonly params: Record<string, string>
  readonly value: string
}

/** Strict RFC 5545 line-level reading. @throws on any violation */
function readIcs(text: string): Line[] {
  expect(text.endsWith('\r\n')).toBe(true)
  const physical = text.slice(0, -2).split('\r\n')
  for (const line of physical) {
    expect(line.includes('\n') || line.includes('\r'), 'bare CR or LF').toBe(false)
    expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75)
  }
  const logical: string[] = []
  for (const line of physical) {
    if (line.startsWith(' ')) {
      logical[logical.length - 1] += line.slice(1)
    } else {
      logical.push(line)
    }
  }
  // Folding never split a UTF-8 character (each physical line decodes on its own).
  for (const line of physical) {
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line)
    expect(line.includes('\uFFFD')).toBe(false)
  }
  return logical.map((line) => {
    const match = /^([A-Z][A-Z0-9-]*)((?:;[A-Z-]+=(?:"[^"]*"|[^;:"]*))*):(.*)$/.exec(line)
    expect(match, line).not.toBeNull()
    const params: Record<string, string> = {}
    for (const part of (match![2] ?? '').split(';').slice(1)) {
      const [key, ...rest] = part.split('=')
      params[key!] = rest.join('=').replace(/^"|"$/g, '')
    }
    return { name: match![1]!, params, value: match![3]! }
  })
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

describe.each(BACKENDS)('calendars on $name', (backend) => {
  let b: Backend
  let org: MeetingOrg

  withMeetingOrg(backend, (started, built) => {
    b = started
    org = built
  })

  test('.ics: CRLF, folded, balanced, VTIMEZONE Asia/Shanghai, escaped title, local times, weekly RRULE', async () => {
    const roomId = await makeRoom(org, { name: '第一会议室；东楼,三层' })
    const title = '关于做好2027年防汛抗旱工作的专题会议，议题：一;二\\三'.repeat(2)
    const created = await org.organiser.api.request<{ id: string; occurrences: number }>(
      'POST',
      '/meetings',
      {
        title,
        start: '2027-04-05T09:30:00+08:00',
        end: '2027-04-05T11:00:00+08:00',
        roomId,
        attendees: [org.alice.id],
        observers: [org.bob.id],
        onlineLink: 'https://meet.example.gov.cn/r/123',
        recurrence: { weekly: { until: '2027-04-26T09:30:00+08:00' } },
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.occurrences).toBe(4)
    const response = await fetch(`${b.relay.url}/api/v1/meetings/${created.body.id}/ics`, {
      headers: { authorization: `Bearer ${org.alice.token}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/)
    const text = await response.text()
    // A well-kept parser reads it, and the event keeps its time zone: 09:30 in Shanghai is 01:30 UTC.
    const parsed = new ICAL.Component(ICAL.parse(text))
    const zone = parsed.getFirstSubcomponent('vtimezone')
    expect(zone).not.toBeNull()
    ICAL.TimezoneService.register(new ICAL.Timezone(zone!))
    const event = new ICAL.Event(parsed.getFirstSubcomponent('vevent')!)
    expect(event.summary).toBe(title)
    expect(event.location).toBe('第一会议室；东楼,三层')
    expect(event.startDate.zone.tzid).toBe('Asia/Shanghai')
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-04-05T01:30:00.000Z')
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-04-05T03:00:00.000Z')
    expect(event.isRecurring()).toBe(true)
    const occurrences = event.iterator()
    const seen: string[] = []
    for (let next = occurrences.next(); next && seen.length < 10; next = occurrences.next()) {
      seen.push(next.toJSDate().toISOString())
    }
    expect(seen).toEqual([
      '2027-04-05T01:30:00.000Z',
      '2027-04-12T01:30:00.000Z',
      '2027-04-19T01:30:00.000Z',
      '2027-04-26T01:30:00.000Z',
    ])
    const lines = readIcs(text)
    const stack: string[] = []
    for (const line of lines) {
      if (line.name === 'BEGIN') {
        stack.push(line.value)
      } else if (line.name === 'END') {
        expect(stack.pop()).toBe(line.value)
      }
    }
    expect(stack).toEqual([])
    const names = lines.map(
      (l) => `${l.name}:${l.name === 'BEGIN' || l.name === 'END' ? l.value : ''}`,
    )
    expect(names.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:'])
    expect(names).toContain('BEGIN:VTIMEZONE')
    const get = (name: string) => lines.find((l) => l.name === name)
    expect(get('VERSION')?.value).toBe('2.0')
    expect(get('TZID')?.value).toBe('Asia/Shanghai')
    expect(get('TZOFFSETTO')?.value).toBe('+0800')
    // The first DTSTART is the VTIMEZONE's; the event's is the one with a TZID.
    const starts = lines.filter((l) => l.name === 'DTSTART' && l.params.TZID !== undefined)
    expect(starts.map((l) => l.value)).toEqual(['20270405T093000'])
    expect(lines.find((l) => l.name === 'DTEND')?.value).toBe('20270405T110000')
    expect(get('RRULE')?.value).toBe('FREQ=WEEKLY;UNTIL=20270426T013000Z')
    expect(unescapeText(get('SUMMARY')!.value)).toBe(title)
    expect(unescapeText(get('LOCATION')!.value)).toBe('第一会议室；东楼,三层')
    expect(get('UID')?.value).toBe(`${created.body.id}@qilu-desk`)
    expect(get('DTSTAMP')?.value).toMatch(/^\d{8}T\d{6}Z$/)
    const attendees = lines.filter((l) => l.name === 'ATTENDEE')
    expect(attendees.map((l) => l.params.ROLE).sort()).toEqual([
      'OPT-PARTICIPANT',
      'REQ-PARTICIPANT',
    ])
    // Every TZID used is defined.
    const defined = new Set(lines.filter((l) => l.name === 'TZID').map((l) => l.value))
    for (const line of lines) {
      if (line.params.TZID !== undefined) {
        expect(defined.has(line.params.TZID)).toBe(true)
      }
    }

    // My calendar as .ics: the weekly meeting once, with its RRULE, in a valid file.
    const mine = await fetch(
      `${b.relay.url}/api/v1/calendar/ics?from=2027-04-01T00:00:00%2B08:00&to=2027-05-01T00:00:00%2B08:00`,
      { headers: { authorization: `Bearer ${org.alice.token}` } },
    )
    expect(mine.status).toBe(200)
    expect(mine.headers.get('content-type')).toMatch(/^text\/calendar/)
    const calendar = readIcs(await mine.text())
    expect(calendar.filter((l) => l.name === 'UID').map((l) => l.value)).toEqual([
      `${created.body.id}@qilu-desk`,
    ])
    expect(calendar.find((l) => l.name === 'RRULE')?.value).toBe(
      'FREQ=WEEKLY;UNTIL=20270426T013000Z',
    )
    expect(
      (
        await fetch(`${b.relay.url}/api/v1/calendar/ics?from=x&to=y`, {
          headers: { authorization: `Bearer ${org.alice.token}` },
        })
      ).status,
    ).toBe(400)

    // Every weekly occurrence is booked: the third week's slot is taken.
    const third = await org.organiser.api.request<ErrorBody>('POST', '/meetings', {
      title: '冲突',
      start: '2027-04-19T10:00:00+08:00',
      end: '2027-04-19T10:30:00+08:00',
      roomId,
      attendees: [],
    })
    expect(third.status).toBe(409)
    expect(third.body.error.code).toBe('room_conflict')
  })

  test('all-day meetings take whole Shanghai days and export as DATE values', async () => {
    const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '全天培训',
      start: '2027-05-10T00:00:00+08:00',
      end: '2027-05-11T00:00:00+08:00',
      allDay: true,
      attendees: [org.alice.id],
    })
    expect(created.status).toBe(201)
    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${created.body.id}`)
    expect(view.body).toMatchObject({
      allDay: true,
      start: '2027-05-10T00:00:00+08:00',
      end: '2027-05-11T00:00:00+08:00',
    })
    const response = await fetch(`${b.relay.url}/api/v1/meetings/${created.body.id}/ics`, {
      headers: { authorization: `Bearer ${org.alice.token}` },
    })
    const lines = readIcs(await response.text())
    const start = lines.filter((l) => l.name === 'DTSTART' && l.params.VALUE === 'DATE')
    expect(start.map((l) => l.value)).toEqual(['20270510'])
    expect(lines.find((l) => l.name === 'DTEND')?.value).toBe('20270511')
  })

  test('my calendar, a room calendar, free/busy per person and the earliest common slot', async () => {
    const roomId = await makeRoom(org, { capacity: 5 })
    // A day far ahead, 09:00 Shanghai.
    const day = Date.parse('2027-06-07T09:00:00+08:00')
    const mk = async (who: MeetingOrg['alice'], start: number, minutes: number, room?: string) => {
      const answer = await who.api.request<{ id: string }>('POST', '/meetings', {
        title: '忙',
        start: at(start, 0),
        end: at(start, minutes),
        ...(room === undefined ? {} : { roomId: room }),
        attendees: [],
      })
      expect(answer.status).toBe(201)
      return answer.body.id
    }
    // Alice organises 09:00–10:00; Bob is invited 10:00–11:00; the room is booked 11:00–11:30.
    await mk(org.alice, day, 60)
    const bobs = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '王二的会',
      start: at(day, 60),
      end: at(day, 120),
      attendees: [org.bob.id],
    })
    expect(bobs.status).toBe(201)
    await mk(org.organiser, day + 120 * 60_000, 30, roomId)

    const from = at(day, -60)
    const to = at(day, 60 * 10)
    const busy = await org.carol.api.request<{
      busy: Record<string, { start: string; end: string }[]>
    }>(
      'GET',
      `/free-busy?userIds=${org.alice.id},${org.bob.id},${org.carol.id}&from=${from}&to=${to}`,
    )
    expect(busy.status).toBe(200)
    expect(busy.body.busy[org.alice.id]).toEqual([
      { start: '2027-06-07T09:00:00+08:00', end: '2027-06-07T10:00:00+08:00' },
    ])
    expect(busy.body.busy[org.bob.id]).toEqual([
      { start: '2027-06-07T10:00:00+08:00', end: '2027-06-07T11:00:00+08:00' },
    ])
    expect(busy.body.busy[org.carol.id]).toEqual([])
    // Declining frees Bob.
    await org.bob.api.request('POST', `/meetings/${bobs.body.id}/rsvp`, {
      response: 'decline',
      reason: '出差',
    })
    const after = await org.carol.api.request<{ busy: Record<string, unknown[]> }>(
      'GET',
      `/free-busy?userIds=${org.bob.id}&from=${from}&to=${to}`,
    )
    expect(after.body.busy[org.bob.id]).toEqual([])
    await org.bob.api
      .request('POST', `/meetings/${bobs.body.id}/rsvp`, { response: 'decline' })
      .catch(() => {})

    // Slot for Alice and Carol, 60 minutes, in a room of ≥ 5: from 08:00 the hour before Alice's
    // meeting fits; from 09:00, Alice is busy until 10:00.
    const early = await org.carol.api.request<{ slot: { start: string } | null }>(
      'GET',
      `/meeting-slots?userIds=${org.alice.id},${org.carol.id}&from=${from}&to=${to}&minutes=60&capacity=5`,
    )
    expect(early.body.slot?.start).toBe('2027-06-07T08:00:00+08:00')
    const slot = await org.carol.api.request<{
      slot: { start: string; end: string; roomId: string } | null
    }>(
      'GET',
      `/meeting-slots?userIds=${org.alice.id},${org.carol.id}&from=${at(day, 0)}&to=${to}&minutes=60&capacity=5`,
    )
    expect(slot.status).toBe(200)
    expect(slot.body.slot?.start).toBe('2027-06-07T10:00:00+08:00')
    // Only this test's room fits ≥ 5 with a booking at 11:00? Others exist (capacity 20): any is fine,
    // but the slot's room must be free then.
    const roomCal = await org.alice.api.request<{ bookings: { start: string }[] }>(
      'GET',
      `/meeting-rooms/${roomId}/calendar?from=${from}&to=${to}`,
    )
    expect(roomCal.status).toBe(200)
    expect(roomCal.body.bookings.map((x) => x.start)).toEqual(['2027-06-07T11:00:00+08:00'])
    expect(
      (
        await org.outsider.api.request(
          'GET',
          `/meeting-rooms/${roomId}/calendar?from=${from}&to=${to}`,
        )
      ).status,
    ).toBe(403)

    const mine = await org.bob.api.request<{ meetings: { meetingId: string }[] }>(
      'GET',
      `/meetings?from=${from}&to=${to}`,
    )
    expect(mine.status).toBe(200)
    // Declined: no longer in Bob's calendar.
    expect(mine.body.meetings.map((m) => m.meetingId)).not.toContain(bobs.body.id)
    const organiser = await org.organiser.api.request<{ meetings: { meetingId: string }[] }>(
      'GET',
      `/meetings?from=${from}&to=${to}`,
    )
    expect(organiser.body.meetings.map((m) => m.meetingId)).toContain(bobs.body.id)

    // Bounds: 501 people, a range over a year, malformed ids.
    const many = Array.from({ length: 501 }, (_, i) => `u${i}`).join(',')
    expect(
      (await org.carol.api.request('GET', `/free-busy?userIds=${many}&from=${from}&to=${to}`))
        .status,
    ).toBe(400)
    expect(
      (
        await org.carol.api.request(
          'GET',
          `/free-busy?userIds=${org.alice.id}&from=${from}&to=${at(day, 60 * 24 * 400)}`,
        )
      ).status,
    ).toBe(400)
    expect(
      (await org.carol.api.request('GET', `/free-busy?userIds=a%3Bb&from=${from}&to=${to}`)).status,
    ).toBe(400)
  })
})
