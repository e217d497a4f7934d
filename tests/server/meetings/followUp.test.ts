/**
 * A meeting's follow-up, on SQLite and PostgreSQL through the real relay: the agenda and materials
 * are read (read-only) by every invitee — named, unit-invited, 列席 and a deputy — through the
 * meeting's ACL, which the relay decides at the document room's upgrade and withdraws with the
 * invitation or the attachment; 议定事项 are recorded by the organiser (or a minutes editor) only
 * and completed by their owner or the organiser only, each refusal audited; the view names the
 * organiser; deactivated rooms stay in the admin list but are not offered for booking.
 */
import { afterEach, describe, expect, test } from 'vitest'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import type { OwnedMeetingTask } from '../../../shared/http/routes/meetingFollowUp'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, makeRoom, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg, Person } from './org'

describe.each(BACKENDS)('meeting follow-up on $name', (backend) => {
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

  /** A meeting: alice and carol named, the section (sec1, sec2) by unit, bob as 列席. */
  async function meeting(): Promise<string> {
    const now = Date.now()
    const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '防汛工作调度会',
      start: at(now, 60),
      end: at(now, 120),
      attendees: [org.alice.id, org.carol.id],
      unitIds: [org.sectionId],
      observers: [org.bob.id],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return created.body.id
  }

  /** @returns a socket of `who` in a document room, once it is synced or refused. */
  async function open(who: Person, documentId: string): Promise<Client> {
    const client = connect(b.relay.wsUrl, `doc:${documentId}`, who.token)
    clients.push(client)
    await waitFor(
      () => client.provider.synced || client.closeCodes.length > 0,
      `${who.name} synced or refused`,
    )
    return client
  }

  async function refused(who: Person, documentId: string): Promise<void> {
    const client = connect(b.relay.wsUrl, `doc:${documentId}`, who.token)
    clients.push(client)
    await waitFor(() => client.closeCodes.includes(4403), `${who.name} refused with 4403`)
    expect(client.provider.synced).toBe(false)
    const http = await who.api.request<ErrorBody>('GET', `/documents/${documentId}`)
    expect(http.status).toBe(403)
  }

  test('every invitee reads the agenda and materials, read-only; others are refused at the upgrade', async () => {
    const id = await meeting()
    // Carol sends a deputy (the office's admin, invited only as her deputy), who accepts.
    const deputy = await org.carol.api.request('POST', `/meetings/${id}/rsvp`, {
      response: 'deputy',
      deputyId: org.officeAdmin.id,
    })
    expect(deputy.status).toBe(200)
    expect(
      (await org.officeAdmin.api.request('POST', `/meetings/${id}/rsvp`, { response: 'accept' }))
        .status,
    ).toBe(200)

    const agenda = await org.organiser.api.request<{ documentId: string }>(
      'POST',
      `/meetings/${id}/documents`,
      { kind: 'agenda', title: '调度会议程' },
    )
    expect(agenda.status, JSON.stringify(agenda.body)).toBe(201)
    // An existing document the organiser owns, attached as a material.
    const owned = await org.organiser.api.request<{ id: string }>('POST', '/documents', {
      title: '汛情通报',
    })
    expect(owned.status).toBe(201)
    const material = await org.organiser.api.request<{ documentId: string }>(
      'POST',
      `/meetings/${id}/documents`,
      { kind: 'material', documentId: owned.body.id },
    )
    expect(material.status).toBe(201)
    expect(material.body.documentId).toBe(owned.body.id)

    // The organiser writes into the material; every invitee reads it, live, read-only.
    const writer = await open(org.organiser, owned.body.id)
    expect(writer.provider.synced).toBe(true)
    writer.doc.getText('text').insert(0, '当前水位 23.5 米')
    for (const who of [org.alice, org.sec1, org.bob, org.officeAdmin]) {
      const reader = await open(who, owned.body.id)
      expect(reader.closeCodes, who.name).toEqual([])
      await waitFor(
        () => reader.doc.getText('text').toString() === '当前水位 23.5 米',
        `${who.name} reads the material`,
      )
      const summary = await who.api.request<{ role: string }>('GET', `/documents/${owned.body.id}`)
      expect(summary.status).toBe(200)
      expect(summary.body.role).toBe('reader')
      // A reader's change is dropped: the organiser never sees it.
      reader.doc.getText('text').insert(0, `${who.name}改：`)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(writer.doc.getText('text').toString()).toBe('当前水位 23.5 米')
    const agendaSummary = await org.sec2.api.request<{ role: string; title: string }>(
      'GET',
      `/documents/${agenda.body.documentId}`,
    )
    expect(agendaSummary.body).toMatchObject({ role: 'reader', title: '调度会议程' })

    // Someone not invited reads neither.
    await refused(org.outsider, owned.body.id)
    await refused(org.outsider, agenda.body.documentId)

    // The view lists them, agenda first, and names the organiser.
    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.documents).toEqual([
      { documentId: agenda.body.documentId, kind: 'agenda', title: '调度会议程' },
      { documentId: owned.body.id, kind: 'material', title: '汛情通报' },
    ])
    expect(view.body.organiserName).toBe('孙组织')
    expect(view.body.minutesStatus).toBeNull()
  })

  test('withdrawing an invitation (or a document) ends the reading, on open sockets too', async () => {
    const id = await meeting()
    const { documentId } = (
      await org.organiser.api.request<{ documentId: string }>('POST', `/meetings/${id}/documents`, {
        kind: 'material',
        title: '会议材料一',
      })
    ).body
    const alice = await open(org.alice, documentId)
    const sec1 = await open(org.sec1, documentId)
    expect(alice.provider.synced && sec1.provider.synced).toBe(true)

    // Only the organiser withdraws.
    const notYours = await org.bob.api.request<ErrorBody>(
      'DELETE',
      `/meetings/${id}/invitees/${org.alice.id}`,
    )
    expect(notYours.status).toBe(403)
    const withdrawn = await org.organiser.api.request<{ withdrawn: string[] }>(
      'DELETE',
      `/meetings/${id}/invitees/${org.alice.id}`,
    )
    expect(withdrawn.status).toBe(200)
    expect(withdrawn.body.withdrawn).toEqual([org.alice.id])
    await waitFor(() => alice.closeCodes.includes(4403), 'alice’s open socket closed')
    await refused(org.alice, documentId)
    expect((await org.alice.api.request<ErrorBody>('GET', `/meetings/${id}`)).status).toBe(403)
    expect(sec1.closeCodes).toEqual([])

    // Detaching the document ends everyone's reading of it.
    expect(
      (await org.bob.api.request('DELETE', `/meetings/${id}/documents/${documentId}`)).status,
    ).toBe(403)
    expect(
      (await org.organiser.api.request('DELETE', `/meetings/${id}/documents/${documentId}`)).status,
    ).toBe(204)
    await waitFor(() => sec1.closeCodes.includes(4403), 'sec1’s open socket closed')
    await refused(org.sec1, documentId)
    const audited = await b.sql(
      "SELECT action FROM audit_log WHERE target = $1 AND action IN ('meeting.withdraw', 'meeting.withdraw_refused', 'meeting.document_detach', 'meeting.document_refused') ORDER BY seq",
      [id],
    )
    expect(audited.map((row) => row.action)).toEqual([
      'meeting.withdraw_refused',
      'meeting.withdraw',
      'meeting.document_refused',
      'meeting.document_detach',
    ])
  })

  test('only the organiser attaches, and only documents they own; one agenda', async () => {
    const id = await meeting()
    const alices = await org.alice.api.request<{ id: string }>('POST', '/documents', {
      title: '李一的文档',
    })
    const byInvitee = await org.alice.api.request<ErrorBody>('POST', `/meetings/${id}/documents`, {
      kind: 'material',
      documentId: alices.body.id,
    })
    expect(byInvitee.status).toBe(403)
    const notOwned = await org.organiser.api.request<ErrorBody>(
      'POST',
      `/meetings/${id}/documents`,
      { kind: 'material', documentId: alices.body.id },
    )
    expect(notOwned.status).toBe(403)
    expect(notOwned.body.error.message).toMatch(/拥有/)
    const first = await org.organiser.api.request('POST', `/meetings/${id}/documents`, {
      kind: 'agenda',
      title: '议程',
    })
    expect(first.status).toBe(201)
    const second = await org.organiser.api.request<ErrorBody>('POST', `/meetings/${id}/documents`, {
      kind: 'agenda',
      title: '议程二',
    })
    expect(second.status).toBe(409)
    const both = await org.organiser.api.request<ErrorBody>('POST', `/meetings/${id}/documents`, {
      kind: 'material',
      title: 'x',
      documentId: alices.body.id,
    })
    expect(both.status).toBe(400)
    const outsider = await org.outsider.api.request<ErrorBody>(
      'POST',
      `/meetings/${id}/documents`,
      { kind: 'material', title: 'x' },
    )
    expect(outsider.body.error.code).toBe('not_invited')
  })

  test('议定事项: only the organiser records, only the owner or organiser completes; the owner lists them', async () => {
    const id = await meeting()
    const task = { title: '抓紧修复堤防险段', ownerId: org.bob.id, dueDate: '2026-12-20' }
    const byInvitee = await org.alice.api.request<ErrorBody>('POST', `/meetings/${id}/tasks`, task)
    expect(byInvitee.status).toBe(403)
    const byOutsider = await org.outsider.api.request<ErrorBody>(
      'POST',
      `/meetings/${id}/tasks`,
      task,
    )
    expect(byOutsider.body.error.code).toBe('not_invited')
    const badOwner = await org.organiser.api.request<ErrorBody>('POST', `/meetings/${id}/tasks`, {
      ...task,
      ownerId: 'nobody',
    })
    expect(badOwner.status).toBe(400)
    const badDate = await org.organiser.api.request<ErrorBody>('POST', `/meetings/${id}/tasks`, {
      ...task,
      dueDate: '2026-13-40',
    })
    expect(badDate.status).toBe(400)

    const created = await org.organiser.api.request<MeetingView['tasks'][number]>(
      'POST',
      `/meetings/${id}/tasks`,
      task,
    )
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ ...task, ownerName: '王二', status: 'open', doneAt: null })
    const other = await org.organiser.api.request<MeetingView['tasks'][number]>(
      'POST',
      `/meetings/${id}/tasks`,
      { title: '报送灾情统计', ownerId: org.carol.id, dueDate: '2026-12-10' },
    )
    expect(other.status).toBe(201)

    // The meeting's room shows them live, with their status.
    const room = connect(b.relay.wsUrl, `meeting:${id}`, org.alice.token)
    clients.push(room)
    await synced(room)
    const tasks = () => (room.doc.getMap('view').get('tasks') ?? []) as MeetingView['tasks']
    await waitFor(() => tasks().length === 2, 'two tasks in the room')

    // The owner's 待办 lists it with the meeting's title.
    const mine = await org.bob.api.request<{ tasks: OwnedMeetingTask[] }>('GET', '/meeting-tasks')
    expect(mine.body.tasks).toEqual([
      expect.objectContaining({ id: created.body.id, meetingTitle: '防汛工作调度会' }),
    ])

    // Neither another invitee nor an outsider completes it.
    for (const who of [org.alice, org.carol, org.outsider]) {
      const refusal = await who.api.request<ErrorBody>(
        'POST',
        `/meeting-tasks/${created.body.id}/done`,
      )
      expect(refusal.status, who.name).toBe(403)
    }
    const done = await org.bob.api.request<MeetingView['tasks'][number]>(
      'POST',
      `/meeting-tasks/${created.body.id}/done`,
    )
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('done')
    expect(done.body.doneAt).toMatch(/\+08:00$/)
    const again = await org.bob.api.request<ErrorBody>(
      'POST',
      `/meeting-tasks/${created.body.id}/done`,
    )
    expect(again.status).toBe(409)
    // The organiser completes the other.
    expect(
      (await org.organiser.api.request('POST', `/meeting-tasks/${other.body.id}/done`)).status,
    ).toBe(200)
    await waitFor(
      () => tasks().length === 2 && tasks().every((t) => t.status === 'done'),
      'both done, live',
    )
    expect((await org.bob.api.request('POST', '/meeting-tasks/unknown/done')).status).toBe(404)

    const refusals = await b.sql(
      "SELECT action FROM audit_log WHERE action IN ('meeting.task_refused', 'meeting.task_done_refused') AND (target = $1 OR target = $2)",
      [id, created.body.id],
    )
    // Alice's, the outsider's (not_invited) and the unknown owner's; the bad date never reached
    // the service. Completing: alice's, carol's, the outsider's and the second completion.
    expect(refusals.filter((r) => r.action === 'meeting.task_refused').length).toBe(3)
    expect(refusals.filter((r) => r.action === 'meeting.task_done_refused').length).toBe(4)
  })

  test('a minutes editor may record 议定事项; the organiser’s name reaches invitations', async () => {
    const id = await meeting()
    const minutes = await org.organiser.api.request<{ documentId: string }>(
      'POST',
      `/meetings/${id}/minutes`,
    )
    expect(minutes.status).toBe(201)
    const task = { title: '起草整改方案', ownerId: org.alice.id, dueDate: '2026-12-31' }
    // Alice comments on the minutes: not enough.
    expect((await org.alice.api.request('POST', `/meetings/${id}/tasks`, task)).status).toBe(403)
    expect(
      (
        await org.organiser.api.request(
          'PUT',
          `/documents/${minutes.body.documentId}/members/${org.alice.id}`,
          { role: 'editor' },
        )
      ).status,
    ).toBeLessThan(300)
    expect((await org.alice.api.request('POST', `/meetings/${id}/tasks`, task)).status).toBe(201)
    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.minutesStatus).toBe('draft')

    // Invitations are sent after the commit: wait for sec1's (unit-invited).
    type Inbox = { items: { text: string; excerpt: string; link: string }[] }
    let invitation: Inbox['items'][number] | undefined
    for (let i = 0; i < 50 && invitation === undefined; i += 1) {
      const inbox = await org.sec1.api.request<Inbox>('GET', '/inbox')
      invitation = inbox.body.items.find((item) => item.link === `/meetings/${id}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(invitation?.text).toMatch(/^孙组织 邀请您参加会议/)
    expect(invitation?.excerpt).toMatch(/组织者：孙组织/)
  })

  test('deactivated rooms stay in the admin list, greyed, and are never offered for booking', async () => {
    const roomId = await makeRoom(org, { name: '停用测试室' })
    expect(
      (await org.officeAdmin.api.request('PATCH', `/meeting-rooms/${roomId}`, { active: false }))
        .status,
    ).toBe(200)
    type Rooms = { rooms: { id: string; active: boolean }[] }
    const forBooking = await org.organiser.api.request<Rooms>('GET', '/meeting-rooms')
    expect(forBooking.body.rooms.some((room) => room.id === roomId)).toBe(false)
    // Asking for inactive rooms without administering the unit shows none of them.
    const asUser = await org.organiser.api.request<Rooms>('GET', '/meeting-rooms?inactive=true')
    expect(asUser.body.rooms.some((room) => room.id === roomId)).toBe(false)
    const otherAdmin = await org.cityAdmin.api.request<Rooms>('GET', '/meeting-rooms?inactive=true')
    expect(otherAdmin.body.rooms.some((room) => room.id === roomId)).toBe(false)
    const asAdmin = await org.officeAdmin.api.request<Rooms>('GET', '/meeting-rooms?inactive=true')
    expect(asAdmin.body.rooms.find((room) => room.id === roomId)).toMatchObject({ active: false })
    const booking = await org.organiser.api.request<ErrorBody>('POST', '/meetings', {
      title: '订停用会议室',
      start: at(Date.now(), 60 * 24 * 9),
      end: at(Date.now(), 60 * 24 * 9 + 60),
      roomId,
      attendees: [],
    })
    expect(booking.status).toBe(404)
    // Re-enabled, it is offered again.
    await org.officeAdmin.api.request('PATCH', `/meeting-rooms/${roomId}`, { active: true })
    const again = await org.organiser.api.request<Rooms>('GET', '/meeting-rooms')
    expect(again.body.rooms.some((room) => room.id === roomId)).toBe(true)
  })
})
