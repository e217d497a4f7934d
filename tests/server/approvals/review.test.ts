/**
 * 发文复核: after 签发, a substantive change of the body re-opens the 签发 for its original signer
 * (back in their 待办 with ⚠, the old signoff marked stale); a change of punctuation or whitespace
 * only does not. The 签发 then binds to the new text.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { TodoItem } from '../../../shared/http/routes/approvals'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import {
  MemorySetup,
  actionOf,
  buildOffice,
  digestBecomes,
  digestOf,
  must,
  openDocument,
  viewAs,
  writeBody,
} from './fixture'
import type { Office } from './fixture'

let relay: TestRelay
let office: Office
const setup = new MemorySetup()

beforeAll(async () => {
  relay = await startTestRelay({ approvalSetup: setup, reviewDelayMs: 50 })
  office = await buildOffice(relay, setup, 'rv')
})

afterAll(async () => {
  await relay?.close()
})

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('发文复核', () => {
  test('punctuation only: nothing; a substantive change: 签发 back to the signer with ⚠', async () => {
    const { drafter, chief, registrar } = office
    const documentId = await drafter.api.createDocument('关于加强值班工作的通知')
    await drafter.api.share(documentId, registrar.userId, 'editor')
    const writer = await openDocument(relay, drafter, documentId)
    let before = await digestOf(drafter, documentId)
    writeBody(writer, ['各处室：', '元旦期间，请安排好值班工作。'])
    await digestBecomes(drafter, documentId, (digest) => digest !== before)
    writer.destroy()

    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [
        { name: '签发', kind: 'signoff', mode: 'sequential', assignees: [chief.userId] },
        { name: '用印', kind: 'seal', mode: 'any', assignees: [registrar.userId] },
      ],
    })
    expect(started.status).toBe(201)
    const id = started.body.id
    await must(drafter, actionOf(id, 'submit', 'start'))
    const signed = await digestOf(chief, documentId)
    let view = await must(
      chief,
      actionOf(id, 'signoff', 's1', { contentDigest: signed, opinion: '同意' }),
    )
    expect(view.currentStageId).toBe('s2')

    // The registrar (current stage) changes punctuation and spacing only.
    const editor = await openDocument(relay, registrar, documentId)
    before = signed
    writeBody(editor, ['各处室:', '元旦期间， 请安排好值班工作!'])
    await digestBecomes(registrar, documentId, (digest) => digest !== before)
    await settle(600)
    view = await viewAs(chief, id)
    expect(view.actions.some((action) => action.type === 'reopen')).toBe(false)
    expect(view.currentStageId).toBe('s2')

    // A substantive change: 签发 is re-opened for the chief.
    before = await digestOf(registrar, documentId)
    writeBody(editor, ['各处室：', '春节期间，请安排好值班工作。'])
    await digestBecomes(registrar, documentId, (digest) => digest !== before)
    editor.destroy()
    let reopened = false
    for (let i = 0; i < 60 && !reopened; i++) {
      await settle(50)
      view = await viewAs(chief, id)
      reopened = view.actions.some((action) => action.type === 'reopen')
    }
    expect(reopened).toBe(true)
    expect(view.currentStageId).toBe('s1')
    expect(view.state.reopened?.stageId).toBe('s1')
    const oldSignoff = view.actions.find((action) => action.type === 'signoff')
    expect(view.state.staleActionIds).toContain(oldSignoff?.id)
    const pending = await chief.api.request<{ items: TodoItem[] }>('GET', '/todos?box=pending')
    expect(pending.body.items.find((item) => item.approvalId === id)?.reopened).toBe(true)

    // Signing the new text again moves on; the old digest is refused.
    const stale = await chief.api.request('POST', `/approvals/${id}/actions`, {})
    expect(stale.status).toBe(400)
    const fresh = await digestOf(chief, documentId)
    view = await must(
      chief,
      actionOf(id, 'signoff', 's1', { contentDigest: fresh, opinion: '同意' }),
    )
    expect(view.currentStageId).toBe('s2')
    expect(view.state.reopened).toBeNull()
  }, 30_000)
})
