/**
 * Sign-in (签到, DESIGN.md §8) on SQLite and PostgreSQL through the real relay: the organiser's
 * token (an HMAC over the meeting id and its expiry) signs invitees in inside [start − 30 min, end);
 * after start + 10 min they are late; an expired token is 410 token_expired; a forged one, another
 * meeting's (whatever its age) or one claiming a longer life than the TTL is 403 bad_token; outside
 * the window 409 checkin_closed with a clear Chinese message; the organiser may mark attendance;
 * every refusal is audited.
 */
import { describe, expect, test } from 'vitest'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import { checkinKey, issueToken } from '../../../server/meetings/checkinToken'
import { TEST_AUDIT_KEY } from '../../utils/relay'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

/** The relay's check-in key, as derived from the test relays' audit key. */
const KEY = checkinKey(Buffer.from(TEST_AUDIT_KEY, 'hex'))

interface Token {
  readonly token: string
  readonly expiresAt: string
  readonly url: string
}

describe.each(BACKENDS)('sign-in on $name', (backend) => {
  let b: Backend
  let org: MeetingOrg

  withMeetingOrg(backend, (started, built) => {
    b = started
    org = built
  })

  /** A meeting (no room) starting `minutes` from now, lasting an hour. */
  const meeting = async (minutes: number): Promise<string> => {
    const now = Date.now()
    const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '签到测试会',
      start: at(now, minutes),
      end: at(now, minutes + 60),
      attendees: [org.alice.id, org.bob.id, org.carol.id],
    })
    expect(created.status).toBe(201)
    return created.body.id
  }
  const tokenOf = async (id: string): Promise<Token> => {
    const answer = await org.organiser.api.request<Token>('GET', `/meetings/${id}/checkin-token`)
    expect(answer.status).toBe(200)
    return answer.body
  }
  const signIn = (person: MeetingOrg['alice'], id: string, token: string) =>
    person.api.request<ErrorBody & { late: boolean; by: string; userId: string }>(
      'POST',
      `/meetings/${id}/checkin`,
      { token },
    )
  const refusals = async (id: string, code: string): Promise<number> =>
    (
      await b.sql(
        "SELECT seq FROM audit_log WHERE action = 'meeting.checkin_refused' AND target = $1 AND detail LIKE $2",
        [id, `%${code}%`],
      )
    ).length

  test('a fresh token signs invitees in once, on time; the token is the organiser’s to show', async () => {
    const id = await meeting(10)
    const { token, expiresAt, url } = await tokenOf(id)
    expect(expiresAt).toMatch(/\+08:00$/)
    const ttl = Date.parse(expiresAt) - Date.now()
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
    expect(url).toContain(`/meetings/${id}/checkin?token=`)
    const notOrganiser = await org.alice.api.request<ErrorBody>(
      'GET',
      `/meetings/${id}/checkin-token`,
    )
    expect(notOrganiser.status).toBe(403)

    const first = await signIn(org.alice, id, token)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ userId: org.alice.id, late: false, by: 'self' })
    expect((await signIn(org.alice, id, token)).status).toBe(200)
    const view = await org.organiser.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.checkins).toEqual([
      { userId: org.alice.id, at: expect.stringMatching(/\+08:00$/), late: false, by: 'self' },
    ])
    expect(view.body.counts.checkedIn).toBe(1)
    // A non-invitee with a genuine token: 403 not_invited.
    const outsider = await signIn(org.outsider, id, token)
    expect(outsider.status).toBe(403)
    expect(outsider.body.error.code).toBe('not_invited')
  })

  test('signing in more than 10 minutes after the start is recorded as late', async () => {
    const id = await meeting(-15)
    const { token } = await tokenOf(id)
    const late = await signIn(org.bob, id, token)
    expect(late.status).toBe(200)
    expect(late.body.late).toBe(true)
  })

  test('expired → 410; forged, another meeting’s (fresh or old) or over-long → 403 bad_token; all audited', async () => {
    const id = await meeting(5)
    const other = await meeting(5)
    const expired = issueToken(KEY, id, Date.now() - 1_000)
    const answer = await signIn(org.alice, id, expired)
    expect(answer.status).toBe(410)
    expect(answer.body.error.code).toBe('token_expired')
    expect(answer.body.error.message).toMatch(/已过期/)

    const { token } = await tokenOf(id)
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
    const cases = [
      forged,
      // Signed with another key.
      issueToken(checkinKey(Buffer.from('b2'.repeat(32), 'hex')), id, Date.now() + 30_000),
      // Another meeting's, fresh and expired.
      (await tokenOf(other)).token,
      issueToken(KEY, other, Date.now() - 3_600_000),
      // Genuinely signed but claiming to live a day (no issued token does).
      issueToken(KEY, id, Date.now() + 86_400_000),
      'garbage',
      `${id}.${Date.now() + 30_000}.`,
    ]
    for (const bad of cases) {
      const refused = await signIn(org.alice, id, bad)
      expect(refused.status, bad).toBe(403)
      expect(refused.body.error.code).toBe('bad_token')
    }
    expect(await refusals(id, 'bad_token')).toBe(cases.length)
    expect(await refusals(id, 'token_expired')).toBe(1)
    const view = await org.organiser.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.checkins).toEqual([])
  })

  test('outside [start − 30 min, end): 409 checkin_closed with a clear message', async () => {
    const early = await meeting(31)
    const tooEarly = await signIn(org.alice, early, (await tokenOf(early)).token)
    expect(tooEarly.status).toBe(409)
    expect(tooEarly.body.error.code).toBe('checkin_closed')
    expect(tooEarly.body.error.message).toMatch(/签到时间为会议开始前 30 分钟至会议结束/)
    const ended = await meeting(-61)
    const afterEnd = await signIn(org.alice, ended, (await tokenOf(ended)).token)
    expect(afterEnd.status).toBe(409)
    expect(afterEnd.body.error.code).toBe('checkin_closed')
    // Just inside the window: 29 minutes before the start.
    const open = await meeting(29)
    expect((await signIn(org.alice, open, (await tokenOf(open)).token)).status).toBe(200)
    expect(await refusals(early, 'checkin_closed')).toBe(1)
  })

  test('a weekly meeting records sign-ins per occurrence: this week’s, not the first week’s', async () => {
    const week = 7 * 86_400_000
    const first = Date.now() - week + 5 * 60_000
    const created = await org.organiser.api.request<{ id: string; occurrences: number }>(
      'POST',
      '/meetings',
      {
        title: '每周例会',
        start: new Date(first).toISOString(),
        end: new Date(first + 3_600_000).toISOString(),
        attendees: [org.alice.id, org.bob.id],
        recurrence: { weekly: { until: new Date(first + 2 * week).toISOString() } },
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.occurrences).toBe(3)
    const id = created.body.id
    const { token } = await tokenOf(id)
    const signed = await signIn(org.alice, id, token)
    expect(signed.status).toBe(200)
    expect(signed.body.late).toBe(false)
    const view = await org.organiser.api.request<MeetingView>('GET', `/meetings/${id}`)
    // The first occurrence's start stays the meeting's; attendance is about this week's.
    expect(Date.parse(view.body.start)).toBe(Math.floor(first / 1000) * 1000)
    expect(Date.parse(view.body.checkinsOf)).toBe(Math.floor((first + week) / 1000) * 1000)
    expect(view.body.checkins.map((c) => c.userId)).toEqual([org.alice.id])
    const rows = await b.sql(
      'SELECT occurrence_start FROM meeting_checkins WHERE meeting_id = $1',
      [id],
    )
    expect(rows.map((r) => Number(r.occurrence_start))).toEqual([
      Date.parse(new Date(first + week).toISOString()),
    ])
  })

  test('the organiser marks attendance; the record shows who came, late, and by whom', async () => {
    const id = await meeting(-20)
    const marked = await org.organiser.api.request<{ late: boolean; by: string }>(
      'POST',
      `/meetings/${id}/attendance`,
      { userId: org.carol.id, late: false },
    )
    expect(marked.status).toBe(200)
    expect(marked.body).toMatchObject({ by: 'organiser', late: false })
    const self = await signIn(org.bob, id, (await tokenOf(id)).token)
    expect(self.body.late).toBe(true)
    expect(
      (
        await org.alice.api.request('POST', `/meetings/${id}/attendance`, {
          userId: org.alice.id,
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await org.organiser.api.request('POST', `/meetings/${id}/attendance`, {
          userId: org.outsider.id,
        })
      ).status,
    ).toBe(400)
    const view = await org.organiser.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.checkins.map((c) => [c.userId, c.late, c.by]).sort()).toEqual(
      [
        [org.bob.id, true, 'self'],
        [org.carol.id, false, 'organiser'],
      ].sort(),
    )
    expect(view.body.counts).toMatchObject({ checkedIn: 2, late: 1 })
  })
})
