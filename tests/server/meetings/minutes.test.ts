/**
 * Minutes (纪要) from a meeting, on SQLite and PostgreSQL through the real relay: the organiser
 * creates a document of 文种 `minutes` whose 出席/请假/列席 lines come from the attendance (deputies
 * marked 代), shared with those attending (commenters), linked from the meeting view and its room;
 * only the organiser may, once.
 */
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { MeetingView } from '../../../shared/http/routes/meetings'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { BACKENDS } from '../approvalSetup/backends'
import type { Backend } from '../approvalSetup/backends'
import { at, withMeetingOrg } from './org'
import type { ErrorBody, MeetingOrg } from './org'

function bodyText(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('body')
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map(String).join('') : ''))
}

describe.each(BACKENDS)('minutes on $name', (backend) => {
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

  test('the organiser creates the 纪要 prefilled with 出席, 请假 and 列席, shared and linked', async () => {
    const now = Date.now()
    const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '防汛工作专题会议',
      start: at(now, -5),
      end: at(now, 55),
      attendees: [org.alice.id, org.bob.id, org.carol.id],
      observers: [org.sec2.id],
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    await org.bob.api.request('POST', `/meetings/${id}/rsvp`, {
      response: 'decline',
      reason: '出差',
    })
    await org.carol.api.request('POST', `/meetings/${id}/rsvp`, {
      response: 'deputy',
      deputyId: org.sec1.id,
    })
    const { token } = (
      await org.organiser.api.request<{ token: string }>('GET', `/meetings/${id}/checkin-token`)
    ).body
    expect((await org.alice.api.request('POST', `/meetings/${id}/checkin`, { token })).status).toBe(
      200,
    )
    expect((await org.sec1.api.request('POST', `/meetings/${id}/checkin`, { token })).status).toBe(
      200,
    )
    expect(
      (
        await org.organiser.api.request('POST', `/meetings/${id}/attendance`, {
          userId: org.sec2.id,
        })
      ).status,
    ).toBe(200)

    const refused = await org.alice.api.request<ErrorBody>('POST', `/meetings/${id}/minutes`)
    expect(refused.status).toBe(403)
    expect(
      (await org.outsider.api.request<ErrorBody>('POST', `/meetings/${id}/minutes`)).body.error
        .code,
    ).toBe('not_invited')

    const minutes = await org.organiser.api.request<{ documentId: string }>(
      'POST',
      `/meetings/${id}/minutes`,
    )
    expect(minutes.status).toBe(201)
    const documentId = minutes.body.documentId
    expect((await org.organiser.api.request('POST', `/meetings/${id}/minutes`)).status).toBe(409)

    const view = await org.alice.api.request<MeetingView>('GET', `/meetings/${id}`)
    expect(view.body.minutesDocumentId).toBe(documentId)
    // Shared with those attending, as commenters; not with who declined.
    const asAlice = await org.alice.api.request<{ role: string }>('GET', `/documents/${documentId}`)
    expect(asAlice.status).toBe(200)
    expect(asAlice.body.role).toBe('commenter')
    expect((await org.bob.api.request('GET', `/documents/${documentId}`)).status).toBe(403)

    const doc = connect(b.relay.wsUrl, `doc:${documentId}`, org.alice.token)
    clients.push(doc)
    await synced(doc)
    await waitFor(() => bodyText(doc.doc).some((line) => line.startsWith('出席：')), 'the body')
    const lines = bodyText(doc.doc)
    expect(doc.doc.getMap('meta').get('docType')).toBe('minutes')
    expect(doc.doc.getMap('meta').get('title')).toBe('防汛工作专题会议纪要')
    const present = lines.find((line) => line.startsWith('出席：')) ?? ''
    expect(present.slice('出席：'.length).split('　').sort()).toEqual(
      ['周处员（代张三）', '李一'].sort(),
    )
    expect(lines).toContain('请假：王二')
    expect(lines).toContain('列席：吴处员')
    expect(lines.some((line) => line.includes('孙组织主持召开防汛工作专题会议'))).toBe(true)

    const room = connect(b.relay.wsUrl, `meeting:${id}`, org.alice.token)
    clients.push(room)
    await synced(room)
    await waitFor(
      () => room.doc.getMap('view').get('minutesDocumentId') === documentId,
      'the room links the minutes',
    )
  })
})
