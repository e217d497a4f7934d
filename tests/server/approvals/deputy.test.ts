/**
 * Deputies (代) over the relay's own set-up: a secretary holding a delegation in force from the
 * chief reads the approval (route, evidence, `approval:<id>` room) and finds it in 待我审批
 * (marked `onBehalfOf`, counted live in `inbox:<userId>`) while the chief holds its current stage
 * and the scope covers that stage; before the delegation, for a stage the scope does not cover,
 * and after its revocation, the secretary who never acted reads 404 and has no 待办.
 *
 * The deputy is no member of the document: while the leader holds the stage she reads it too
 * (the `doc:<id>` room read only, the document, its digest; audited once as acl.approval_read),
 * gets the leader's reminders and 催办 in her inbox, and loses the document (open socket closed
 * with 4403, routes refused) when the leader acts or the delegation goes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateSm2KeyPair } from '../../../shared/crypto/sm2'
import type { TodoCounts, TodoItem } from '../../../shared/http/routes/approvals'
import { createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type { InboxItem } from '../../../shared/api'
import {
  MemorySetup,
  actionOf,
  buildOffice,
  digestOf,
  must,
  openDocument,
  viewAs,
  waitFor,
  writeBody,
} from './fixture'
import type { Office, Person } from './fixture'

describe.each(['sqlite', 'postgres'] as const)('deputies (代) (%s)', (dialect) => {
  let database: TestDatabase | null = null
  let relay: TestRelay
  let office: Office
  let inbox: Client
  /** Approvals started by the tests, by name. */
  const ids: Record<string, string> = {}
  let delegationId = ''

  beforeAll(async () => {
    database = dialect === 'postgres' ? await createTestDatabase() : null
    // The relay's own set-up: delegations live in its tables.
    relay = await startTestRelay({ databaseUrl: database?.url ?? null })
    office = await buildOffice(relay, new MemorySetup(), `dp${dialect[0]}`)
    for (const who of Object.values(office).filter(
      (v): v is Person => typeof v === 'object' && v !== null && 'keys' in v,
    )) {
      await register(who)
    }
    inbox = connect(relay.wsUrl, `inbox:${office.secretary.userId}`, office.secretary.token)
    await synced(inbox)
  })

  afterAll(async () => {
    inbox?.destroy()
    await relay?.close()
    await database?.drop()
  })

  async function register(who: Person): Promise<void> {
    const keys = generateSm2KeyPair()
    const { status, body } = await who.api.request<{ id: string }>('POST', '/devices', {
      publicKey: keys.publicKey,
      label: '办公电脑',
    })
    expect(status, JSON.stringify(body)).toBe(201)
    who.deviceId = body.id
    who.keys = keys
  }

  /** Starts and submits a document approval with these stages of the chief. */
  async function start(
    title: string,
    kinds: readonly ('review' | 'signoff')[],
  ): Promise<{ id: string; documentId: string }> {
    const { drafter, chief } = office
    const documentId = await drafter.api.createDocument(title)
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: kinds.map((kind) => ({
        name: kind === 'signoff' ? '签发' : '审核',
        kind,
        mode: 'sequential',
        assignees: [chief.userId],
      })),
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    await must(drafter, actionOf(started.body.id, 'submit', 'start'))
    return { id: started.body.id, documentId }
  }

  async function pendingOf(who: Person): Promise<{ items: TodoItem[]; counts: TodoCounts }> {
    const { status, body } = await who.api.request<{ items: TodoItem[]; counts: TodoCounts }>(
      'GET',
      '/todos?box=pending',
    )
    expect(status).toBe(200)
    return body
  }

  /** Expects `who` to be refused the approval everywhere (route, evidence, room, 待办). */
  async function hidden(who: Person, id: string): Promise<void> {
    const route = await who.api.request('GET', `/approvals/${id}`)
    expect(route.status).toBe(404)
    const evidence = await who.api.request('GET', `/approvals/${id}/evidence`)
    expect(evidence.status).toBe(404)
    const socket = await rawSocket(`${relay.wsUrl}/approval:${id}?token=${who.token}`)
    expect(await closed(socket)).toBe(4403)
    const { items } = await pendingOf(who)
    expect(items.map((item) => item.approvalId)).not.toContain(id)
  }

  /** Expects `who` to read the approval as a deputy of `leader`. */
  async function readsAsDeputy(who: Person, id: string, leader: Person): Promise<void> {
    expect((await viewAs(who, id)).id).toBe(id)
    const evidence = await who.api.request<{ signed: { approvalId: string } }>(
      'GET',
      `/approvals/${id}/evidence`,
    )
    expect([evidence.status, evidence.body.signed.approvalId]).toEqual([200, id])
    const reader = connect(relay.wsUrl, `approval:${id}`, who.token)
    try {
      await synced(reader)
      await waitFor(() => reader.doc.getMap('approval').get('view') !== undefined, 'the view')
      expect((reader.doc.getMap('approval').get('view') as { id: string }).id).toBe(id)
    } finally {
      reader.destroy()
    }
    const { items, counts } = await pendingOf(who)
    const item = items.find((row) => row.approvalId === id)
    expect(item).toMatchObject({ onBehalfOf: leader.userId, batchable: false })
    expect(counts.pending).toBe(items.length)
  }

  test('without a delegation the secretary reads 404 and has no 待办', async () => {
    ids.early = (await start('关于值班安排的通知', ['signoff'])).id
    await hidden(office.secretary, ids.early)
    const own = await pendingOf(office.chief)
    expect(own.items.find((item) => item.approvalId === ids.early)).toMatchObject({
      onBehalfOf: null,
    })
    expect(inbox.doc.getMap<number>('counts').get('pending') ?? 0).toBe(0)
  })

  test('a signoff delegation shows the chief’s 签发 (not his review) in the secretary’s 待办, live; she signs 代', async () => {
    const { chief, secretary, drafter } = office
    const { id, documentId } = await start('关于印发值班制度的通知', ['review', 'signoff'])
    ids.reviewed = id
    const delegated = await chief.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'signoff',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(201)
    delegationId = delegated.body.id
    // The approval that reached 签发 before the delegation is covered at once, counted live.
    await readsAsDeputy(secretary, ids.early, chief)
    const counts = inbox.doc.getMap<number>('counts')
    await waitFor(() => counts.get('pending') === 1, 'the deputy’s count after the grant')
    // The chief's review stage is not 签发: a signoff delegation does not expose it.
    await hidden(secretary, id)

    const digest = await digestOf(drafter, documentId)
    await must(chief, actionOf(id, 'approve', 's1', { contentDigest: digest }))
    await readsAsDeputy(secretary, id, chief)
    await waitFor(() => counts.get('pending') === 2, 'the deputy’s count after the stage moved')

    const view = await must(
      secretary,
      actionOf(id, 'signoff', 's2', {
        contentDigest: digest,
        onBehalfOf: chief.userId,
        opinion: '同意',
      }),
    )
    expect(view.status).toBe('approved')
    expect(view.actions.find((a) => a.type === 'signoff')).toMatchObject({
      actorId: secretary.userId,
      onBehalfOf: chief.userId,
    })
    await waitFor(() => counts.get('pending') === 1, 'the deputy’s count after signing')
    const { items } = await pendingOf(secretary)
    expect(items.map((item) => item.approvalId)).toEqual([ids.early])
  })

  test('after the revocation a fresh 签发 is hidden again; what she signed stays readable', async () => {
    const { chief, secretary } = office
    // Her open socket on the room closes when the delegation goes.
    const socket = await rawSocket(`${relay.wsUrl}/approval:${ids.early}?token=${secretary.token}`)
    const revoked = await chief.api.request('DELETE', `/delegations/${delegationId}`)
    expect(revoked.status).toBe(204)
    expect(await closed(socket)).toBe(4403)
    const counts = inbox.doc.getMap<number>('counts')
    await waitFor(() => counts.get('pending') === 0, 'the deputy’s count after the revocation')
    const fresh = await start('关于节日值班的通知', ['signoff'])
    await hidden(secretary, fresh.id)
    await hidden(secretary, ids.early)
    // She acted on it: a participant in her own right.
    expect((await viewAs(secretary, ids.reviewed)).id).toBe(ids.reviewed)
    expect((await pendingOf(secretary)).counts.pending).toBe(0)
  })

  test('an `all` delegation covers a review stage; an ended one covers nothing', async () => {
    const { chief, secretary } = office
    const { id } = await start('关于办公用房调整的请示', ['review'])
    await hidden(secretary, id)
    const all = await chief.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'all',
      until: new Date(Date.now() + 1500).toISOString(),
    })
    expect(all.status, JSON.stringify(all.body)).toBe(201)
    await readsAsDeputy(secretary, id, chief)
    // Ended without a revocation: read time decides.
    await new Promise((resolve) => setTimeout(resolve, 1600))
    await hidden(secretary, id)
  })

  test('when the chief acts himself, the deputy’s open room closes', async () => {
    const { chief, secretary, drafter } = office
    const { id, documentId } = await start('关于会议室管理的通知', ['review'])
    const all = await chief.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'all',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(all.status, JSON.stringify(all.body)).toBe(201)
    const socket = await rawSocket(`${relay.wsUrl}/approval:${id}?token=${secretary.token}`)
    const digest = await digestOf(drafter, documentId)
    await must(chief, actionOf(id, 'approve', 's1', { contentDigest: digest }))
    expect(await closed(socket)).toBe(4403)
    await hidden(secretary, id)
    expect((await chief.api.request('DELETE', `/delegations/${all.body.id}`)).status).toBe(204)
  })
  /** Expects `who` to be refused the document: room 4403, document 403, digest 404. */
  async function documentHidden(who: Person, documentId: string): Promise<void> {
    const socket = await rawSocket(`${relay.wsUrl}/doc:${documentId}?token=${who.token}`)
    expect(await closed(socket)).toBe(4403)
    expect((await who.api.request('GET', `/documents/${documentId}`)).status).toBe(403)
    expect((await who.api.request('GET', `/documents/${documentId}/digest`)).status).toBe(404)
  }

  /** A document with a body, and a submitted approval whose one review stage is the chief's. */
  async function withBody(title: string): Promise<{ id: string; documentId: string }> {
    const { drafter, chief } = office
    const documentId = await drafter.api.createDocument(title)
    const writer = await openDocument(relay, drafter, documentId)
    const empty = await digestOf(drafter, documentId)
    writeBody(writer, ['各处室：', '请做好节日期间的值班工作。'])
    for (let i = 0; i < 100 && (await digestOf(drafter, documentId)) === empty; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    writer.destroy()
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [{ name: '审核', kind: 'review', mode: 'sequential', assignees: [chief.userId] }],
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    await must(drafter, actionOf(started.body.id, 'submit', 'start'))
    return { id: started.body.id, documentId }
  }

  async function approvalItems(who: Person, approvalId: string): Promise<InboxItem[]> {
    const { body } = await who.api.request<{ items: InboxItem[] }>('GET', '/inbox')
    return body.items.filter((item) => item.link === `/approvals/${approvalId}`)
  }

  test('a deputy who is no member reads the document read-only while the leader holds the stage; it ends when he acts', async () => {
    const { chief, secretary, drafter } = office
    const { id, documentId } = await withBody('关于节日值班工作的通知')
    await documentHidden(secretary, documentId)
    const all = await chief.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'all',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(all.status, JSON.stringify(all.body)).toBe(201)
    try {
      // The room, read only: the body arrives; her write is dropped.
      const reader = await openDocument(relay, secretary, documentId)
      expect(reader.doc.getXmlFragment('body').toString()).toContain('请做好节日期间的值班工作。')
      const digest = await digestOf(drafter, documentId)
      writeBody(reader, ['改写的正文'])
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(await digestOf(drafter, documentId)).toBe(digest)
      expect(await digestOf(secretary, documentId)).toBe(digest)
      const read = await secretary.api.request<{ role: string }>('GET', `/documents/${documentId}`)
      expect([read.status, read.body.role]).toEqual([200, 'reader'])
      const listed = await secretary.api.request('GET', `/documents/${documentId}/approvals`)
      expect(listed.status).toBe(200)
      // Audited once, however often she reads.
      const { rows } = await relay.audit.search({ action: 'acl.approval_read' }, 1000, 0)
      const grants = rows.filter((row) => row.target === documentId)
      expect(grants).toHaveLength(1)
      expect(JSON.parse(grants[0]?.detail ?? '{}')).toMatchObject({
        approvalId: id,
        userId: secretary.userId,
        onBehalfOf: chief.userId,
        role: 'reader',
      })

      // 催办 reaches the chief and his deputy.
      await must(drafter, actionOf(id, 'urge', 's1', { opinion: '请今日办理' }))
      for (const who of [chief, secretary]) {
        let items: InboxItem[] = []
        for (let i = 0; i < 100 && items.length === 0; i++) {
          items = await approvalItems(who, id)
          await new Promise((resolve) => setTimeout(resolve, 30))
        }
        expect(items.map((item) => item.text)).toEqual([
          `${drafter.name} 催办《关于节日值班工作的通知》的审批，请尽快处理`,
        ])
      }

      // The chief acts himself: her open socket closes and the routes refuse her.
      const socket = await rawSocket(`${relay.wsUrl}/doc:${documentId}?token=${secretary.token}`)
      await must(chief, actionOf(id, 'approve', 's1', { contentDigest: digest }))
      expect(await closed(socket)).toBe(4403)
      await waitFor(() => reader.closeCodes.includes(4403), 'the reader closed')
      reader.destroy()
      await documentHidden(secretary, documentId)
    } finally {
      expect((await chief.api.request('DELETE', `/delegations/${all.body.id}`)).status).toBe(204)
    }
  })

  test('the revocation of the delegation closes the deputy’s open document socket', async () => {
    const { chief, secretary } = office
    const { documentId } = await withBody('关于值班补充安排的通知')
    const all = await chief.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'all',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(all.status, JSON.stringify(all.body)).toBe(201)
    // Admitted (synced, the body read), then closed when the delegation goes.
    const reader = await openDocument(relay, secretary, documentId)
    expect(reader.doc.getXmlFragment('body').toString()).toContain('请做好节日期间的值班工作。')
    expect((await chief.api.request('DELETE', `/delegations/${all.body.id}`)).status).toBe(204)
    await waitFor(() => reader.closeCodes.includes(4403), 'the reader closed')
    reader.destroy()
    await documentHidden(secretary, documentId)
  })
})
