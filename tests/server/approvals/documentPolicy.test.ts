/**
 * The document policy and approvals: a client may not write the meta keys the flow fills (签发人,
 * 发文字号, 印发日期) on any document — only set an empty one to its empty default, as templates do;
 * while an approval runs, only the initiator before the first consent and the current stage's
 * assignees change the body. Each refusal closes with 4403 and is audited.
 */
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { MemorySetup, actionOf, buildOffice, digestOf, must, openDocument } from './fixture'
import type { Office, Person } from './fixture'

let relay: TestRelay
let office: Office
const setup = new MemorySetup()
const clients: Client[] = []

beforeAll(async () => {
  relay = await startTestRelay({ approvalSetup: setup })
  office = await buildOffice(relay, setup, 'dp')
})

afterAll(async () => {
  clients.forEach((client) => client.destroy())
  await relay?.close()
})

async function refusedFor(documentId: string, userId: string, reason: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await relay.audit.search({ action: 'document.update_refused' }, 1000, 0)
    const found = rows.some(
      (row) =>
        row.target === documentId &&
        row.actor_id === userId &&
        (JSON.parse(row.detail) as { reason: string }).reason === reason,
    )
    if (found) {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

async function open(who: Person, documentId: string): Promise<Client> {
  const client = await openDocument(relay, who, documentId)
  clients.push(client)
  return client
}

function appendParagraph(client: Client, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  client.doc.getXmlFragment('body').push([paragraph])
}

describe('document policy under approvals', () => {
  test('flow-filled meta keys: empty defaults pass, a typed 签发人 or 发文字号 is refused (4403, audited)', async () => {
    const { drafter } = office
    const documentId = await drafter.api.createDocument('关于报送材料的通知')
    const client = await open(drafter, documentId)
    client.doc.transact(() => {
      const meta = client.doc.getMap('meta')
      meta.set('signers', [])
      meta.set('documentNumber', '')
      meta.set('title', '关于报送材料的通知')
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(client.closeCodes).toEqual([])
    client.doc.getMap('meta').set('signers', ['张三'])
    await waitFor(() => client.closeCodes.includes(4403), 'closed with 4403')
    expect(await refusedFor(documentId, drafter.userId, 'flow_filled_meta')).toBe(true)
    client.destroy()

    const again = await open(drafter, documentId)
    expect(again.doc.getMap('meta').get('signers')).toEqual([])
    again.doc.getMap('meta').set('documentNumber', '鲁政办发〔2026〕99号')
    await waitFor(() => again.closeCodes.includes(4403), 'closed with 4403')
    again.destroy()
  })

  test('while an approval runs: the initiator until the first consent, then only the current assignees', async () => {
    const { drafter, head, anyA } = office
    const documentId = await drafter.api.createDocument('关于调整值班安排的通知')
    await drafter.api.share(documentId, head.userId, 'editor')
    await drafter.api.share(documentId, anyA.userId, 'editor')
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [
        { name: '核稿', mode: 'sequential', assignees: [head.userId] },
        { name: '复核', mode: 'sequential', assignees: [anyA.userId] },
      ],
    })
    expect(started.status).toBe(201)
    const id = started.body.id
    await must(drafter, actionOf(id, 'submit', 'start'))

    // Before any consent the initiator still edits.
    const mine = await open(drafter, documentId)
    appendParagraph(mine, '各处室：')
    await waitFor(() => true, 'sent')
    const digest = async () => digestOf(drafter, documentId)
    const start = await digest()
    expect(start).not.toBe('')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(mine.closeCodes).toEqual([])
    mine.destroy()

    await must(
      head,
      actionOf(id, 'approve', 's1', { contentDigest: await digestOf(head, documentId) }),
    )

    // Now the initiator and the previous assignee are refused; the current assignee edits.
    const drafterAfter = await open(drafter, documentId)
    appendParagraph(drafterAfter, '悄悄改一句。')
    await waitFor(() => drafterAfter.closeCodes.includes(4403), 'initiator refused')
    expect(await refusedFor(documentId, drafter.userId, 'approval_body_locked')).toBe(true)

    const headAfter = await open(head, documentId)
    appendParagraph(headAfter, '我也改一句。')
    await waitFor(() => headAfter.closeCodes.includes(4403), 'previous assignee refused')

    const current = await open(anyA, documentId)
    appendParagraph(current, '复核时补充一句。')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(current.closeCodes).toEqual([])
    const reader = connect(relay.wsUrl, `doc:${documentId}`, drafter.token)
    clients.push(reader)
    await synced(reader)
    await waitFor(
      () => reader.doc.getXmlFragment('body').toString().includes('复核时补充一句'),
      'the assignee’s change is applied',
    )
    expect(reader.doc.getXmlFragment('body').toString()).not.toContain('悄悄改一句')
  })

  test('an approval ended by another node (straight in the database) lifts the body lock within seconds, while the room stays open', async () => {
    const { drafter, head, anyA } = office
    const documentId = await drafter.api.createDocument('关于清理文件柜的通知')
    await drafter.api.share(documentId, head.userId, 'editor')
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [
        { name: '核稿', mode: 'sequential', assignees: [head.userId] },
        { name: '复核', mode: 'sequential', assignees: [anyA.userId] },
      ],
    })
    const id = started.body.id
    await must(drafter, actionOf(id, 'submit', 'start'))
    await must(
      head,
      actionOf(id, 'approve', 's1', { contentDigest: await digestOf(head, documentId) }),
    )
    // The head keeps the room loaded; the drafter is locked out.
    const keeper = await open(head, documentId)
    const before = await open(drafter, documentId)
    appendParagraph(before, '锁定时改一句。')
    await waitFor(() => before.closeCodes.includes(4403), 'initiator refused while it runs')

    // Another node withdraws it: no commit on this relay tells the body locks.
    const db = new BetterSqlite3(path.join(relay.dataDir, 'qilu.sqlite'))
    try {
      db.prepare("UPDATE approvals SET status = 'withdrawn' WHERE id = ?").run(id)
    } finally {
      db.close()
    }
    // Past the locks' 2 s, any update of a loaded document starts the re-read of every one.
    await new Promise((resolve) => setTimeout(resolve, 2300))
    keeper.doc.getMap('meta').set('title', '关于清理文件柜的通知')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const after = await open(drafter, documentId)
    appendParagraph(after, '撤回后再改一句。')
    await waitFor(
      () => keeper.doc.getXmlFragment('body').toString().includes('撤回后再改一句'),
      'the drafter’s change is applied',
    )
    expect(after.closeCodes).toEqual([])
  })
})
