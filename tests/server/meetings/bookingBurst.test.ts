/**
 * Bursts of bookings, on SQLite and PostgreSQL through the real relay: requests for several rooms
 * and slots at once give exactly one winner per slot and an audited refusal for every other; a
 * refusal's suggestions follow the bookings made since the last refusal of that slot; a request
 * the database refuses while it shares a transaction with others (the requests waiting for one room
 * are decided together) fails alone, the others booked.
 */
import { describe, expect, test } from 'vitest'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, futureHour, makeRoom, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

describe.each(BACKENDS)('bursts of bookings on $name', (backend) => {
  let b: Backend
  let org: MeetingOrg

  withMeetingOrg(backend, (started, built) => {
    b = started
    org = built
  })

  const book = (roomId: string, start: string, end: string, title = '抢订') =>
    org.organiser.api.request<{ id: string } & ErrorBody>('POST', '/meetings', {
      title,
      start,
      end,
      roomId,
      attendees: [],
    })

  test('60 requests over 3 rooms × 4 hours at once: one 201 per slot, every other 409 and audited', async () => {
    const rooms = [await makeRoom(org), await makeRoom(org), await makeRoom(org)]
    const base = futureHour(20)
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const slot = Math.floor(i / 3) % 4
        return book(rooms[i % 3]!, at(base, slot * 60), at(base, slot * 60 + 60), `抢订${i}`)
      }),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(12)
    const refused = answers.filter((a) => a.status === 409)
    expect(refused).toHaveLength(48)
    for (const answer of refused) {
      expect(answer.body.error.code).toBe('room_conflict')
      expect(answer.body.error.details?.suggestions?.length).toBeGreaterThan(0)
    }
    for (const roomId of rooms) {
      const rows = await b.sql(
        'SELECT start_at, end_at FROM meeting_occurrences WHERE room_id = $1 ORDER BY start_at',
        [roomId],
      )
      expect(rows.map((row) => Number(row.start_at) - base)).toEqual(
        [0, 1, 2, 3].map((h) => h * 3_600_000),
      )
    }
    const ids = answers.filter((a) => a.status === 201).map((a) => a.body.id)
    const created = await b.sql(
      `SELECT target FROM audit_log WHERE action = 'meeting.create' AND target IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
      ids,
    )
    expect(created).toHaveLength(12)
    const refusals = await b.sql(
      "SELECT detail FROM audit_log WHERE action = 'meeting.create_refused' AND detail LIKE '%room_conflict%' AND actor_id = $1",
      [org.organiser.id],
    )
    expect(refusals.length).toBeGreaterThanOrEqual(48)
  })

  test('requests of overlapping, not equal, times at once: no two bookings overlap, and every refusal overlaps a booking', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(23)
    expect((await book(roomId, at(base, 60), at(base, 120), '先订')).status).toBe(201)
    // An hour each, twenty minutes apart: each overlaps its neighbours and the one booked before.
    const wanted = Array.from({ length: 24 }, (_, i) => ({ start: i * 20, end: i * 20 + 60 }))
    const answers = await Promise.all(
      wanted.map((w, i) => book(roomId, at(base, w.start), at(base, w.end), `错开${i}`)),
    )
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true)
    const rows = await b.sql(
      'SELECT start_at, end_at FROM meeting_occurrences WHERE room_id = $1 ORDER BY start_at',
      [roomId],
    )
    const booked = rows.map((row) => ({
      start: (Number(row.start_at) - base) / 60_000,
      end: (Number(row.end_at) - base) / 60_000,
    }))
    expect(booked).toHaveLength(1 + answers.filter((a) => a.status === 201).length)
    booked
      .slice(1)
      .forEach((later, i) => expect(later.start).toBeGreaterThanOrEqual(booked[i]!.end))
    answers.forEach((answer, i) => {
      if (answer.status === 409) {
        const w = wanted[i]!
        expect(booked.some((t) => t.start < w.end && w.start < t.end)).toBe(true)
      }
    })
  })

  test('a refusal suggests no slot booked since the last refusal of that slot', async () => {
    const roomId = await makeRoom(org, { capacity: 99 })
    const base = futureHour(21)
    expect((await book(roomId, at(base, 0), at(base, 60))).status).toBe(201)
    const first = await book(roomId, at(base, 0), at(base, 60))
    expect(first.status).toBe(409)
    const offered = first.body.error.details?.suggestions?.[0]
    expect(offered).toMatchObject({ roomId })
    expect(Date.parse(offered!.start)).toBe(base + 3_600_000)
    // Someone takes the suggestion: the next refusal of the same slot offers the hour after.
    expect((await book(roomId, offered!.start, offered!.end)).status).toBe(201)
    const second = await book(roomId, at(base, 0), at(base, 60))
    expect(second.status).toBe(409)
    expect(Date.parse(second.body.error.details!.suggestions![0]!.start)).toBe(base + 7_200_000)
    // A new similar room is offered as soon as it exists.
    const similar = await makeRoom(org, { capacity: 99 })
    const third = await book(roomId, at(base, 0), at(base, 60))
    expect(third.body.error.details?.suggestions?.map((s) => s.roomId)).toContain(similar)
  })

  test('one burst of every kind of request: each gets its own answer, decided in the shared transaction', async () => {
    const mine = await makeRoom(org)
    const city = async (shared: boolean): Promise<string> => {
      const made = await org.cityAdmin.api.request<{ id: string }>('POST', '/meeting-rooms', {
        name: shared ? '济南共享会议室' : '济南会议室',
        unitId: org.otherCityId,
        capacity: 10,
        shared,
      })
      expect(made.status).toBe(201)
      return made.body.id
    }
    const [theirs, shared] = [await city(false), await city(true)]
    const hours = await org.officeAdmin.api.request<{ id: string }>('POST', '/meeting-rooms', {
      name: '限时会议室',
      unitId: org.officeId,
      capacity: 8,
      openingHours: { from: '09:00', to: '17:00' },
    })
    // 2027-09-06 is a Monday: 07:00–08:00 in Shanghai is before the room opens.
    const early = ['2027-09-06T07:00:00+08:00', '2027-09-06T08:00:00+08:00'] as const
    const base = futureHour(24)
    const refusalCodes = async (): Promise<Map<string, number>> => {
      const rows = await b.sql(
        "SELECT detail FROM audit_log WHERE action = 'meeting.create_refused' AND actor_id = $1",
        [org.organiser.id],
      )
      const counts = new Map<string, number>()
      for (const row of rows) {
        const { code } = JSON.parse(String(row.detail)) as { code: string }
        counts.set(code, (counts.get(code) ?? 0) + 1)
      }
      return counts
    }
    const before = await refusalCodes()
    const answers = await Promise.all([
      book(mine, at(base, 0), at(base, 60), '本单位'),
      book('no-such-room', at(base, 0), at(base, 60), '不存在'),
      book(theirs, at(base, 0), at(base, 60), '他单位'),
      book(shared, at(base, 0), at(base, 60), '共享'),
      book(hours.body.id, early[0], early[1], '开放时间外'),
      book(mine, at(base, 30), at(base, 90), '冲突'),
      book(mine, at(base, 60), at(base, 120), '相接'),
    ])
    expect(answers.map((a) => a.status)).toEqual([201, 404, 403, 201, 400, 409, 201])
    expect(answers[5]?.body.error.code).toBe('room_conflict')
    expect(answers[4]?.body.error.message).toMatch(/开放时间/)
    const after = await refusalCodes()
    for (const code of ['not_found', 'forbidden', 'bad_request', 'room_conflict']) {
      expect((after.get(code) ?? 0) - (before.get(code) ?? 0), code).toBe(1)
    }
    expect(await b.sql('SELECT id FROM meeting_occurrences WHERE room_id = $1', [theirs])).toEqual(
      [],
    )
  })

  test('a meeting of the longest length (7 days) still clashes in its last hour, alone and in a burst', async () => {
    const roomId = await makeRoom(org)
    const base = futureHour(40)
    const week = 7 * 24 * 60
    expect((await book(roomId, at(base, 0), at(base, week), '一周')).status).toBe(201)
    expect((await book(roomId, at(base, week - 60), at(base, week), '最后一小时')).status).toBe(409)
    const burst = await Promise.all([
      book(roomId, at(base, week - 30), at(base, week + 30), '跨结束'),
      book(roomId, at(base, week), at(base, week + 60), '紧接'),
    ])
    expect(burst.map((a) => a.status)).toEqual([409, 201])
  })

  test('a burst spanning months (its clashes read request by request) still books one of each overlapping pair', async () => {
    const roomId = await makeRoom(org)
    const near = futureHour(50)
    const far = near + 90 * 86_400_000
    const answers = await Promise.all(
      [near, near, far, far + 30 * 60_000].map((start, i) =>
        book(roomId, at(start, 0), at(start, 60), `跨月${i}`),
      ),
    )
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409])
    const rows = await b.sql('SELECT start_at FROM meeting_occurrences WHERE room_id = $1', [
      roomId,
    ])
    expect(rows).toHaveLength(2)
  })

  test('a request the database refuses fails alone; the requests decided with it are booked', async () => {
    await b.exec(
      backend.name === 'SQLite'
        ? `CREATE TRIGGER refuse_meeting BEFORE INSERT ON meetings WHEN NEW.title = '拒绝写入'
           BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`
        : `CREATE FUNCTION refuse_meeting() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql;
           CREATE TRIGGER refuse_meeting BEFORE INSERT ON meetings FOR EACH ROW
           WHEN (NEW.title = '拒绝写入') EXECUTE FUNCTION refuse_meeting();`,
    )
    try {
      const roomId = await makeRoom(org)
      const base = futureHour(22)
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          book(roomId, at(base, i * 60), at(base, i * 60 + 60), i === 3 ? '拒绝写入' : `会议${i}`),
        ),
      )
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 500, 201, 201, 201, 201])
      const rows = await b.sql('SELECT start_at FROM meeting_occurrences WHERE room_id = $1', [
        roomId,
      ])
      expect(rows).toHaveLength(7)
      const audited = await b.sql(
        "SELECT target FROM audit_log WHERE action = 'meeting.create' AND detail LIKE $1",
        [`%${roomId}%`],
      )
      expect(audited).toHaveLength(7)
    } finally {
      await b.exec(
        backend.name === 'SQLite'
          ? 'DROP TRIGGER refuse_meeting;'
          : 'DROP TRIGGER refuse_meeting ON meetings; DROP FUNCTION refuse_meeting();',
      )
    }
  })
})
