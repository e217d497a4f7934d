/**
 * Booking without double booking (DESIGN.md §8), on SQLite and PostgreSQL through the real relay:
 * twenty concurrent requests for one room and slot give exactly one 201 and nineteen 409
 * `room_conflict` with suggestions; overlapping (not identical) races too; the intervals are
 * half-open (a meeting may start when another ends); suggestions are free and similar; times are
 * answered in +08:00; rooms are managed by their unit's admins only, and refusals are audited.
 */
import { describe, expect, test } from 'vitest'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, futureHour, makeRoom, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

describe.each(BACKENDS)('booking on $name', (backend) => {
  let b: Backend
  let org: MeetingOrg

  withMeetingOrg(backend, (started, built) => {
    b = started
    org = built
  })

  const book = (roomId: string, start: string, end: string, title = '周例会') =>
    org.organiser.api.request<{ id: string } & ErrorBody>('POST', '/meetings', {
      title,
      start,
      end,
      roomId,
      attendees: [org.alice.id],
    })

  const bookingsIn = async (roomId: string): Promise<number> =>
    (await b.sql('SELECT id FROM meeting_occurrences WHERE room_id = $1', [roomId])).length

  test('20 concurrent requests for one room and slot: exactly one 201, nineteen 409 room_conflict with suggestions', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(3)
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => book(roomId, at(base, 0), at(base, 60), `会议${i}`)),
    )
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(19)
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.error.code).toBe('room_conflict')
      expect(refused.body.error.message).toMatch(/已被预订/)
      const suggestions = refused.body.error.details?.suggestions ?? []
      expect(suggestions.length).toBeGreaterThan(0)
      // The first suggestion of the room itself starts when the booking ends (half-open).
      expect(suggestions[0]).toEqual({
        roomId,
        start: expect.stringMatching(/\+08:00$/),
        end: expect.stringMatching(/\+08:00$/),
      })
      expect(Date.parse(suggestions[0]!.start)).toBe(base + 3_600_000)
    }
    expect(await bookingsIn(roomId)).toBe(1)
    // Every refusal is audited.
    const refusals = await b.sql(
      "SELECT seq FROM audit_log WHERE action = 'meeting.create_refused' AND detail LIKE '%room_conflict%'",
    )
    expect(refusals.length).toBeGreaterThanOrEqual(19)
  })

  test('racing overlapping (not identical) requests never both succeed', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(4)
    // Each request overlaps its neighbours by 30 minutes.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => book(roomId, at(base, i * 30), at(base, i * 30 + 60))),
    )
    const won = answers.filter((a) => a.status === 201)
    expect(won.length).toBeGreaterThan(0)
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true)
    const rows = await b.sql(
      'SELECT start_at, end_at FROM meeting_occurrences WHERE room_id = $1 ORDER BY start_at',
      [roomId],
    )
    expect(rows).toHaveLength(won.length)
    for (let i = 1; i < rows.length; i += 1) {
      expect(Number(rows[i]!.start_at)).toBeGreaterThanOrEqual(Number(rows[i - 1]!.end_at))
    }
  })

  test('half-open intervals: a meeting may start exactly when another ends, not a minute before', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(5)
    expect((await book(roomId, at(base, 0), at(base, 60))).status).toBe(201)
    expect((await book(roomId, at(base, 60), at(base, 120))).status).toBe(201)
    expect((await book(roomId, at(base, -60), at(base, 0))).status).toBe(201)
    const early = await book(roomId, at(base, 119), at(base, 150))
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('room_conflict')
    // Offered: the room right after the last booking, and the same time in a similar room.
    const similar = await makeRoom(org, { capacity: 30 })
    const again = await book(roomId, at(base, 30), at(base, 90))
    const suggestions = again.body.error.details?.suggestions ?? []
    expect(suggestions[0]).toMatchObject({ roomId })
    expect(Date.parse(suggestions[0]!.start)).toBe(base + 120 * 60_000)
    expect(suggestions).toContainEqual({
      roomId: similar,
      start: expect.stringMatching(/\+08:00$/),
      end: expect.stringMatching(/\+08:00$/),
    })
    const inSimilar = suggestions.find((s) => s.roomId === similar)!
    expect(Date.parse(inSimilar.start)).toBe(base + 30 * 60_000)
    // Taking the suggestion works.
    expect((await book(inSimilar.roomId, inSimilar.start, inSimilar.end)).status).toBe(201)
  })

  test('opening hours: bookings outside them are refused, suggestions keep to them; only the unit’s admins change a room', async () => {
    const made = await org.officeAdmin.api.request<{ id: string }>('POST', '/meeting-rooms', {
      name: '开放时间会议室',
      unitId: org.officeId,
      capacity: 12,
      openingHours: { from: '09:00', to: '17:00' },
    })
    expect(made.status).toBe(201)
    const roomId = made.body.id
    const outside = await book(roomId, '2027-08-02T08:00:00+08:00', '2027-08-02T09:00:00+08:00')
    expect(outside.status).toBe(400)
    expect(outside.body.error.message).toMatch(/开放时间/)
    expect(
      (await book(roomId, '2027-08-02T16:00:00+08:00', '2027-08-02T17:00:00+08:00')).status,
    ).toBe(201)
    const taken = await book(roomId, '2027-08-02T16:00:00+08:00', '2027-08-02T17:00:00+08:00')
    expect(taken.status).toBe(409)
    // The room closes at 17:00: its next free hour is the next morning at 09:00.
    expect(taken.body.error.details?.suggestions?.[0]).toEqual({
      roomId,
      start: '2027-08-03T09:00:00+08:00',
      end: '2027-08-03T10:00:00+08:00',
    })
    const reversed = await org.officeAdmin.api.request('POST', '/meeting-rooms', {
      name: '倒置',
      unitId: org.officeId,
      capacity: 5,
      openingHours: { from: '18:00', to: '08:00' },
    })
    expect(reversed.status).toBe(400)
    const foreign = await org.cityAdmin.api.request<ErrorBody>(
      'PATCH',
      `/meeting-rooms/${roomId}`,
      {
        capacity: 1,
      },
    )
    expect(foreign.status).toBe(403)
    const renamed = await org.officeAdmin.api.request<{ name: string; capacity: number }>(
      'PATCH',
      `/meeting-rooms/${roomId}`,
      { name: '东楼会议室', capacity: 16 },
    )
    expect(renamed.body).toMatchObject({ name: '东楼会议室', capacity: 16 })
    expect(
      (
        await b.sql(
          "SELECT seq FROM audit_log WHERE action = 'meeting_room.update_refused' AND target = $1",
          [roomId],
        )
      ).length,
    ).toBe(1)
  })

  test('times are answered in +08:00 whatever offset they came in', async () => {
    const roomId = await makeRoom(org)
    const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '时区',
      start: '2027-03-01T01:00:00Z',
      end: '2027-03-01T04:30:00+02:00',
      roomId,
      attendees: [org.alice.id],
    })
    expect(created.status).toBe(201)
    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${created.body.id}`)
    expect(view.body.start).toBe('2027-03-01T09:00:00+08:00')
    expect(view.body.end).toBe('2027-03-01T10:30:00+08:00')
  })

  test('rooms: made by the unit admin of their unit only; listed for the unit and as shared', async () => {
    const refused = await org.cityAdmin.api.request<ErrorBody>('POST', '/meeting-rooms', {
      name: '越权会议室',
      unitId: org.officeId,
      capacity: 10,
    })
    expect(refused.status).toBe(403)
    expect(
      (await b.sql("SELECT seq FROM audit_log WHERE action = 'meeting_room.create_refused'"))
        .length,
    ).toBeGreaterThan(0)
    const plain = await org.alice.api.request<ErrorBody>('POST', '/meeting-rooms', {
      name: 'x',
      unitId: org.officeId,
      capacity: 10,
    })
    expect(plain.status).toBe(403)
    const own = await makeRoom(org, { name: '办公厅小会议室' })
    const shared = await makeRoom(org, { name: '共享大会议室', shared: true })
    const mine = await org.alice.api.request<{ rooms: { id: string }[] }>('GET', '/meeting-rooms')
    expect(mine.body.rooms.map((r) => r.id)).toEqual(expect.arrayContaining([own, shared]))
    const theirs = await org.outsider.api.request<{ rooms: { id: string }[] }>(
      'GET',
      '/meeting-rooms',
    )
    const seen = theirs.body.rooms.map((r) => r.id)
    expect(seen).toContain(shared)
    expect(seen).not.toContain(own)
    // Someone of another unit may not book the office's own room, but may book the shared one.
    const base = futureHour(6)
    const other = await org.outsider.api.request<ErrorBody>('POST', '/meetings', {
      title: '借用',
      start: at(base, 0),
      end: at(base, 60),
      roomId: own,
      attendees: [],
    })
    expect(other.status).toBe(403)
    // Deactivated rooms are not bookable.
    const off = await org.officeAdmin.api.request('PATCH', `/meeting-rooms/${own}`, {
      active: false,
    })
    expect(off.status).toBe(200)
    expect((await book(own, at(base, 0), at(base, 60))).status).toBe(404)
  })

  test('hostile input is refused with 400: reversed times, a year-long range, too many invitees, long titles', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(7)
    expect((await book(roomId, at(base, 60), at(base, 0))).status).toBe(400)
    expect((await book(roomId, at(base, 0), at(base, 60 * 24 * 8))).status).toBe(400)
    expect((await book(roomId, at(base, 0), at(base, 60), 'x'.repeat(201))).status).toBe(400)
    const many = await org.organiser.api.request('POST', '/meetings', {
      title: '太多人',
      start: at(base, 0),
      end: at(base, 60),
      attendees: Array.from({ length: 501 }, (_, i) => `u${i}`),
    })
    expect(many.status).toBe(400)
    const range = await org.organiser.api.request(
      'GET',
      `/meetings?from=${at(base, 0)}&to=${at(base, 60 * 24 * 400)}`,
    )
    expect(range.status).toBe(400)
    const meeting = (extra: Record<string, unknown>) =>
      org.organiser.api.request('POST', '/meetings', {
        title: '边界',
        start: at(base, 0),
        end: at(base, 60),
        attendees: [],
        ...extra,
      })
    // Weekly for more than a year, a script link, an unknown unit, an unknown room.
    expect(
      (await meeting({ recurrence: { weekly: { until: at(base, 60 * 24 * 400) } } })).status,
    ).toBe(400)
    expect((await meeting({ onlineLink: 'javascript:alert(1)' })).status).toBe(400)
    expect((await meeting({ unitIds: ['nounit'] })).status).toBe(404)
    expect((await meeting({ roomId: 'noroom' })).status).toBe(404)
    expect((await meeting({ start: 'tomorrow' })).status).toBe(400)
    const unknown = await org.organiser.api.request('POST', '/meetings', {
      title: '无此人',
      start: at(base, 0),
      end: at(base, 60),
      attendees: ['nobody'],
    })
    expect(unknown.status).toBe(400)
  })
})
