/**
 * The 公文 outgoing chain end to end over HTTP and real rooms, on SQLite and PostgreSQL: 拟稿 →
 * 核稿 (returned with an opinion) → resubmitted → 会签 by two departments in parallel → 签发
 * (opinion, name, full date; meta.signers filled by the flow) → 编号 (鲁政办发〔year〕1号, then 2号 for
 * the next document) → 用印 → 分发 → 归档; a secretary's 代签 shows 代; the 待办 boxes follow.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { shanghaiYear, signoffRecords } from '../../../shared/approvals'
import type { ApprovalView, TodoItem } from '../../../shared/http/routes/approvals'
import { createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced } from '../../utils/yclient'
import {
  MemorySetup,
  act,
  actionOf,
  buildOffice,
  digestBecomes,
  digestOf,
  must,
  openDocument,
  viewAs,
  waitFor,
  writeBody,
} from './fixture'
import type { Office, Person } from './fixture'

describe.each(['sqlite', 'postgres'] as const)('公文 outgoing chain (%s)', (dialect) => {
  let relay: TestRelay
  let database: TestDatabase | null = null
  let office: Office
  const setup = new MemorySetup()

  beforeAll(async () => {
    database = dialect === 'postgres' ? await createTestDatabase() : null
    relay = await startTestRelay({ approvalSetup: setup, databaseUrl: database?.url ?? null })
    office = await buildOffice(relay, setup, `og${dialect[0]}`)
  })

  afterAll(async () => {
    await relay?.close()
    await database?.drop()
  })

  async function draft(title: string, paragraphs: string[]): Promise<string> {
    const documentId = await office.drafter.api.createDocument(title)
    const client = await openDocument(relay, office.drafter, documentId)
    const before = await digestOf(office.drafter, documentId)
    writeBody(client, paragraphs)
    await digestBecomes(office.drafter, documentId, (digest) => digest !== before)
    client.destroy()
    return documentId
  }

  async function todos(
    who: Person,
    box: string,
  ): Promise<{ items: TodoItem[]; counts: Record<string, number> }> {
    const { status, body } = await who.api.request<{
      items: TodoItem[]
      counts: Record<string, number>
    }>('GET', `/todos?box=${box}`)
    expect(status).toBe(200)
    return body
  }

  async function consent(
    who: Person,
    id: string,
    stageId: string,
    documentId: string,
    opinion?: string,
  ): Promise<ApprovalView> {
    const contentDigest = await digestOf(who, documentId)
    return must(
      who,
      actionOf(id, stageId === 'signoff' ? 'signoff' : 'approve', stageId, {
        contentDigest,
        ...(opinion !== undefined ? { opinion } : {}),
      }),
    )
  }

  /** Runs a document from start to 编号's result; `signer` signs 签发 (the chief, or his secretary). */
  async function chain(documentId: string, signer: 'chief' | 'secretary'): Promise<ApprovalView> {
    const { drafter, head, legalHead, financeHead, chief, secretary, registrar } = office
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      flowId: 'gongwen-outgoing',
      data: { countersigners: [legalHead.userId, financeHead.userId] },
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const id = started.body.id
    let view = await must(drafter, actionOf(id, 'submit', 'start'))
    expect(view.currentStageId).toBe('review')
    expect(view.instance.stages.map((stage) => stage.id)).toEqual([
      'review',
      'countersign',
      'signoff',
      'number',
      'seal',
      'distribute',
      'archive',
    ])
    expect((await todos(head, 'pending')).items.map((item) => item.approvalId)).toContain(id)

    // 核稿 returns it with an opinion; the drafter edits and resubmits.
    view = await must(
      head,
      actionOf(id, 'return', 'review', { opinion: '请补充落实时限', target: { stageId: 'start' } }),
    )
    expect(view.currentStageId).toBe('start')
    expect((await todos(drafter, 'pending')).items.map((item) => item.approvalId)).toContain(id)
    const client = await openDocument(relay, drafter, documentId)
    const before = await digestOf(drafter, documentId)
    const body = client.doc.getXmlFragment('body')
    writeBody(client, [
      ...body.toArray().map((node) => node.toString().replace(/<[^>]+>/g, '')),
      '请于12月31日前完成。',
    ])
    await digestBecomes(drafter, documentId, (digest) => digest !== before)
    client.destroy()
    view = await must(drafter, actionOf(id, 'resubmit', 'start'))
    expect(view.currentStageId).toBe('review')
    view = await consent(head, id, 'review', documentId, '同意')
    expect(view.currentStageId).toBe('countersign')

    // 会签: two departments at once.
    const digest = await digestOf(legalHead, documentId)
    const both = await Promise.all(
      [legalHead, financeHead].map((who) =>
        act(
          who,
          actionOf(id, 'approve', 'countersign', { contentDigest: digest, opinion: '无意见' }),
        ),
      ),
    )
    expect(both.map((answer) => [answer.status, answer.body.outcome])).toEqual([
      [200, 'applied'],
      [200, 'applied'],
    ])
    view = await viewAs(drafter, id)
    expect(view.currentStageId).toBe('signoff')
    expect((await todos(chief, 'pending')).items.map((item) => item.approvalId)).toContain(id)

    // 签发, by the chief or 代 by his secretary; 编号 follows at once.
    const signDigest = await digestOf(drafter, documentId)
    if (signer === 'chief') {
      view = await must(
        chief,
        actionOf(id, 'signoff', 'signoff', { contentDigest: signDigest, opinion: '同意印发' }),
      )
    } else {
      view = await must(
        secretary,
        actionOf(id, 'signoff', 'signoff', {
          contentDigest: await digestOf(secretary, documentId).catch(() => signDigest),
          opinion: '同意',
          onBehalfOf: chief.userId,
        }),
      )
    }
    expect(view.currentStageId).toBe('seal')
    expect(view.state.documentNumber).toBeDefined()
    for (const stageId of ['seal', 'distribute', 'archive']) {
      view = await consent(registrar, id, stageId, documentId)
    }
    expect(view.status).toBe('approved')
    expect(
      (await todos(drafter, 'initiated')).items.find((item) => item.approvalId === id)?.status,
    ).toBe('approved')
    return view
  }

  test('拟稿 → 核稿 (returned) → 会签 → 签发 → 编号 1号 → 用印 → 分发 → 归档; the next document gets 2号', async () => {
    const { drafter, chief } = office
    const documentId = await draft('关于做好2026年度安全生产工作的通知', [
      '各处室：',
      '现就有关事项通知如下。',
    ])
    const view = await chain(documentId, 'chief')
    const year = shanghaiYear(new Date().toISOString())
    expect(view.state.documentNumber).toBe(`鲁政办发〔${year}〕1号`)
    const records = signoffRecords(view.state)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      signerId: chief.userId,
      opinion: '同意印发',
      circled: false,
    })
    expect(records[0]?.date).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/)
    expect(view.people[chief.userId]?.displayName).toBe('周主任')
    const returned = view.actions.find((action) => action.type === 'return')
    expect(returned?.opinion).toBe('请补充落实时限')
    expect(
      view.actions.filter((a) => a.actorId !== 'system').every((a) => a.signature !== undefined),
    ).toBe(true)

    // The flow filled 签发人 and 发文字号 into the document itself.
    const reader = connect(relay.wsUrl, `doc:${documentId}`, drafter.token)
    await synced(reader)
    const meta = reader.doc.getMap('meta')
    await waitFor(
      () => meta.get('documentNumber') === `鲁政办发〔${year}〕1号`,
      'documentNumber in meta',
    )
    expect(meta.get('signers')).toEqual(['周主任'])
    await waitFor(
      () => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(String(meta.get('printDate'))),
      '印发日期 after 分发',
    )
    reader.destroy()

    // 归档 archived the 公文, in the document's own archive state (as 归档 from the list does):
    // read-only for everyone from now on, audited once with the approval that did it.
    const summary = await drafter.api.request<{ archivedAt: string | null }>(
      'GET',
      `/documents/${documentId}`,
    )
    expect(summary.body.archivedAt).not.toBeNull()
    const archived = await relay.audit.search({ action: 'doc.archive' }, 50, 0)
    expect(
      archived.rows
        .filter((row) => row.target === documentId)
        .map((row) => [
          row.actor_id,
          (JSON.parse(row.detail) as { approvalId?: string }).approvalId,
        ]),
    ).toEqual([[null, view.id]])
    const late = connect(relay.wsUrl, `doc:${documentId}`, drafter.token)
    await synced(late)
    late.doc.getMap('meta').set('documentNumber', '鲁政办发〔2000〕9号')
    const check = connect(relay.wsUrl, `doc:${documentId}`, drafter.token)
    await synced(check)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(check.doc.getMap('meta').get('documentNumber')).toBe(`鲁政办发〔${year}〕1号`)
    late.destroy()
    check.destroy()

    // The next document of the unit gets 2号, and its 签发 by the secretary shows 代.
    setup.delegationRows.push({
      from: office.chief.userId,
      to: office.secretary.userId,
      scope: 'signoff',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    const second = await draft('关于召开全省办公厅主任会议的通知', [
      '各市政府办公室：',
      '定于12月召开会议。',
    ])
    const next = await chain(second, 'secretary')
    expect(next.state.documentNumber).toBe(`鲁政办发〔${year}〕2号`)
    const signoff = next.actions.find((action) => action.type === 'signoff')
    expect(signoff).toMatchObject({ actorId: office.secretary.userId, onBehalfOf: chief.userId })
    const consentShown = next.stages.find((stage) => stage.id === 'signoff')?.consents[0]
    expect(consentShown).toMatchObject({
      userId: chief.userId,
      actorId: office.secretary.userId,
      onBehalf: true,
    })
    const second2 = connect(relay.wsUrl, `doc:${second}`, drafter.token)
    await synced(second2)
    await waitFor(
      () => JSON.stringify(second2.doc.getMap('meta').get('signers')) === '["周主任"]',
      'signers of the second',
    )
    second2.destroy()

    // The document lists its approvals.
    const listed = await drafter.api.request<{ approvals: { id: string; status: string }[] }>(
      'GET',
      `/documents/${documentId}/approvals`,
    )
    expect(listed.body.approvals.map((a) => a.status)).toEqual(['approved'])
  }, 60_000)
})
