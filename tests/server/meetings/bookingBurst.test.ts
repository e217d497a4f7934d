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
