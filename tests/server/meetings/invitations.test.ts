/**
 * Invitations (DESIGN.md §8), on SQLite and PostgreSQL through the real relay: a unit invitation
 * expands to the unit's members at creation (and says so); invitees answer (accept, decline with a
 * reason, tentative, 代参会: the deputy then gets the invitation); the organiser sees the counts change
 * live in the read-only `meeting:<id>` room; a client's write there closes its socket with 4403 and
 * is audited; non-invitees get 403 `not_invited` (audited) and cannot join the room; invitations
 * land in the invitees' inbox.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { InboxPage } from '../../../shared/api'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, futureHour, makeRoom, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

describe.each(BACKENDS)('invitations on $name', (backend) => {
  let b: Backend
  let org: MeetingOrg
  const clients: Client[] = []

  withMeetingOrg(backend, (started, built) => {
    b = started
    org = built
  })

  afterEach(() => {
    for (const client of clients.splice(0)) {
      client.destroy()
    }
  })

  const create = async (extra: Record<string, unknown> = {}, days = 2) => {
    const base = futureHour(days)
    const created = await org.organiser.api.request<{
      id: string
      expandedUnits: { unitId: string; members: number }[]
    }>('POST', '/meetings', {
      title: '专题会议',
      start: at(base, 0),
      end: at(base, 90),
      roomId: await makeRoom(org),
      attendees: [org.alice.id, org.bob.id, org.carol.id],
      ...extra,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return created.body
  }

  test('a unit invitation reaches its members at creation, and says how many', async () => {
    const { id, expandedUnits } = await create({
      unitIds: [org.sectionId],
      observers: [org.bob.id],
    })
    expect(expandedUnits).toEqual([{ unitId: org.sectionId, members: 2 }])
    const view = await org.organiser.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.status).toBe(200)
    const attendees = view.body.attendees
    expect(attendees.map((a) => a.userId).sort()).toEqual(
      [org.alice.id, org.bob.id, org.carol.id, org.sec1.id, org.sec2.id].sort(),
    )
    expect(attendees.find((a) => a.userId === org.sec1.id)).toMatchObject({
      viaUnitId: org.sectionId,
      role: 'required',
      name: '周处员',
    })
    // Named as a required attendee and as 列席: required wins.
    expect(attendees.find((a) => a.userId === org.bob.id)?.role).toBe('required')
    // A member of the section reads the meeting; the §8 fields are there.
    const asMember = await org.sec2.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(asMember.status).toBe(200)
    expect(Object.keys(asMember.body)).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'start',
        'end',
        'roomId',
        'attendees',
        'rsvps',
        'checkins',
      ]),
    )
  })

  test('a non-invitee gets 403 not_invited (audited) and cannot join the meeting room', async () => {
    const { id } = await create()
    const refused = await org.outsider.api.request<ErrorBody>('GET', `/meetings/${id}`)
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('not_invited')
    expect(refused.body.error.message).toMatch(/未受邀/)
    const rsvp = await org.outsider.api.request<ErrorBody>('POST', `/meetings/${id}/rsvp`, {
      response: 'accept',
    })
    expect(rsvp.status).toBe(403)
    expect(rsvp.body.error.code).toBe('not_invited')
    const audited = await b.sql(
      "SELECT seq FROM audit_log WHERE action IN ('meeting.read_refused', 'meeting.rsvp_refused') AND target = $1",
      [id],
    )
    expect(audited).toHaveLength(2)
    const room = connect(b.relay.wsUrl, `meeting:${id}`, org.outsider.token)
    clients.push(room)
    await waitFor(() => room.closeCodes.includes(4403), 'the outsider refused with 4403')
    expect((await org.outsider.api.request('GET', `/meetings/${id}/ics`)).status).toBe(403)
  })

  test('answers: accept, decline with a reason, tentative, deputy; counts change live in meeting:<id>', async () => {
    const { id } = await create()
    const room = connect(b.relay.wsUrl, `meeting:${id}`, org.organiser.token)
    clients.push(room)
    await synced(room)
    const view = room.doc.getMap<unknown>('view')
    const counts = () => view.get('counts') as MeetingView['counts'] | undefined
    await waitFor(() => counts()?.pending === 3, 'three pending in the room')
    expect(view.get('title')).toBe('专题会议')

    expect(
      (await org.alice.api.request('POST', `/meetings/${id}/rsvp`, { response: 'accept' })).status,
    ).toBe(200)
    await waitFor(() => counts()?.accepted === 1, 'the organiser sees the acceptance live')
    expect(
      (
        await org.carol.api.request('POST', `/meetings/${id}/rsvp`, {
          response: 'decline',
          reason: '同一时间参加省委会议',
        })
      ).status,
    ).toBe(200)
    await waitFor(() => counts()?.declined === 1, 'the decline live')

    // 代参会: Bob sends sec1, who is then invited (and may read the meeting).
    expect((await org.sec1.api.request<ErrorBody>('GET', `/meetings/${id}`)).body.error.code).toBe(
      'not_invited',
    )
    const deputy = await org.bob.api.request('POST', `/meetings/${id}/rsvp`, {
      response: 'deputy',
      deputyId: org.sec1.id,
    })
    expect(deputy.status).toBe(200)
    await waitFor(() => counts()?.deputy === 1 && counts()?.invited === 4, 'the deputy live')
    // The deputy now reads the meeting's room too.
    const deputyRoom = connect(b.relay.wsUrl, `meeting:${id}`, org.sec1.token)
    clients.push(deputyRoom)
    await synced(deputyRoom)
    await waitFor(
      () => deputyRoom.doc.getMap('view').get('title') === '专题会议',
      'the deputy reads the room',
    )
    expect(deputyRoom.closeCodes).toEqual([])
    const asDeputy = await org.sec1.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(asDeputy.status).toBe(200)
    expect(asDeputy.body.attendees.find((a) => a.userId === org.sec1.id)?.deputyFor).toBe(
      org.bob.id,
    )
    expect(asDeputy.body.rsvps.find((r) => r.userId === org.bob.id)).toMatchObject({
      response: 'deputy',
      deputyId: org.sec1.id,
    })
    expect(asDeputy.body.rsvps.find((r) => r.userId === org.carol.id)).toMatchObject({
      response: 'decline',
      reason: '同一时间参加省委会议',
    })
    expect(
      (await org.sec1.api.request('POST', `/meetings/${id}/rsvp`, { response: 'tentative' }))
        .status,
    ).toBe(200)
    await waitFor(() => counts()?.tentative === 1 && counts()?.pending === 0, 'tentative live')
    // The deputy's invitation is in the deputy's inbox, as the others' are in theirs.
    let inbox: InboxPage | null = null
    for (let i = 0; i < 50 && (inbox?.items.length ?? 0) === 0; i += 1) {
      inbox = (await org.sec1.api.request<InboxPage>('GET', '/inbox')).body
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(inbox?.items.find((item) => item.kind === 'meeting')?.text).toMatch(/代 王二 参会/)
    const alicesInbox = (await org.alice.api.request<InboxPage>('GET', '/inbox')).body
    expect(alicesInbox.items.some((item) => item.link === `/meetings/${id}`)).toBe(true)

    // Refusals: no deputy named; oneself; changing one's answer after sending a deputy.
    expect(
      (await org.alice.api.request('POST', `/meetings/${id}/rsvp`, { response: 'deputy' })).status,
    ).toBe(400)
    expect(
      (
        await org.alice.api.request('POST', `/meetings/${id}/rsvp`, {
          response: 'deputy',
          deputyId: org.alice.id,
        })
      ).status,
    ).toBe(400)
    expect(
      (await org.bob.api.request('POST', `/meetings/${id}/rsvp`, { response: 'accept' })).status,
    ).toBe(409)
    const audited = await b.sql(
      "SELECT seq FROM audit_log WHERE action = 'meeting.rsvp' AND target = $1",
      [id],
    )
    expect(audited).toHaveLength(4)
  })

  test('meeting:<id> is read-only: a client write closes the socket with 4403 and is audited', async () => {
    const { id } = await create()
    const room = connect(b.relay.wsUrl, `meeting:${id}`, org.alice.token)
    clients.push(room)
    await synced(room)
    await waitFor(() => room.doc.getMap('view').get('title') === '专题会议', 'the view')
    room.doc.getMap<unknown>('view').set('title', '被篡改')
    await waitFor(() => room.closeCodes.includes(4403), 'the write refused with 4403')
    const audited = await b.sql(
      "SELECT detail FROM audit_log WHERE action = 'relay.refused' AND target = $1",
      [`meeting:${id}`],
    )
    expect(audited.length).toBeGreaterThan(0)
    // The server's view is unchanged.
    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.title).toBe('专题会议')
    const fresh = connect(b.relay.wsUrl, `meeting:${id}`, org.bob.token)
    clients.push(fresh)
    await synced(fresh)
    await waitFor(
      () => fresh.doc.getMap('view').get('title') === '专题会议',
      'unchanged for others',
    )
  })
})
