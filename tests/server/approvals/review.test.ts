/**
 * 发文复核: after 签发, a substantive change of the body re-opens the 签发 for its original signer
 * (back in their 待办 with ⚠, the old signoff marked stale); a change of punctuation or whitespace
 * only does not — unless the deployment turned that rule off (QILU_REVIEW_IGNORE_PUNCTUATION=0),
 * when any change of the digest re-opens it. The 签发 then binds to the new text.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ApprovalView, TodoItem } from '../../../shared/http/routes/approvals'
import { loadConfig } from '../../../server/config'
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
import type { Office, Person } from './fixture'

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('QILU_REVIEW_IGNORE_PUNCTUATION: on by default, 1 or 0, anything else refused', () => {
  expect(loadConfig({}).reviewIgnorePunctuation).toBe(true)
  expect(loadConfig({ QILU_REVIEW_IGNORE_PUNCTUATION: '1' }).reviewIgnorePunctuation).toBe(true)
  expect(loadConfig({ QILU_REVIEW_IGNORE_PUNCTUATION: '0' }).reviewIgnorePunctuation).toBe(false)
  expect(() => loadConfig({ QILU_REVIEW_IGNORE_PUNCTUATION: 'no' })).toThrow(
    /QILU_REVIEW_IGNORE_PUNCTUATION must be 1 or 0/,
  )
})

/** Polls the chief's view until a `reopen` is recorded (or 3 s pass). */
async function reopenedView(chief: Person, id: string): Promise<ApprovalView> {
  let view = await viewAs(chief, id)
  for (let i = 0; i < 60 && !view.actions.some((action) => action.type === 'reopen'); i++) {
    await settle(50)
    view = await viewAs(chief, id)
  }
  return view
}

describe.each([
  { ignorePunctuation: true, label: 'punctuation ignored (default)' },
  { ignorePunctuation: false, label: 'QILU_REVIEW_IGNORE_PUNCTUATION=0' },
])('发文复核, $label', ({ ignorePunctuation }) => {
  let relay: TestRelay
  let office: Office
  const setup = new MemorySetup()

  beforeAll(async () => {
    relay = await startTestRelay({
      approvalSetup: setup,
      reviewDelayMs: 50,
      ...(ignorePunctuation ? {} : { reviewIgnorePunctuation: false }),
    })
    office = await buildOffice(relay, setup, ignorePunctuation ? 'rv' : 'rvs')
  })

  afterAll(async () => {
    await relay?.close()
  })

  /** A signed-off approval whose 用印 is the registrar's, and the registrar's open editor. */
  async function signedOff() {
    const { drafter, chief, registrar } = office
    const documentId = await drafter.api.createDocument('关于加强值班工作的通知')
    await drafter.api.share(documentId, registrar.userId, 'editor')
    const writer = await openDocument(relay, drafter, documentId)
    const before = await digestOf(drafter, documentId)
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
    const view = await must(
      chief,
      actionOf(id, 'signoff', 's1', { contentDigest: signed, opinion: '同意' }),
    )
    expect(view.currentStageId).toBe('s2')
    const editor = await openDocument(relay, registrar, documentId)
    return { id, documentId, signed, editor }
  }

  /** Expects the 签发 re-opened for the chief with ⚠, then signs the new text again. */
  async function expectReopened(id: string, documentId: string): Promise<void> {
    const { chief } = office
    let view = await reopenedView(chief, id)
    expect(view.actions.some((action) => action.type === 'reopen')).toBe(true)
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
  }

  test(`punctuation only: ${ignorePunctuation ? 'nothing' : '签发 back to the signer with ⚠'}`, async () => {
    const { chief, registrar } = office
    const { id, documentId, signed, editor } = await signedOff()
    // The registrar (current stage) changes punctuation and spacing only.
    writeBody(editor, ['各处室:', '元旦期间， 请安排好值班工作!'])
    await digestBecomes(registrar, documentId, (digest) => digest !== signed)
    editor.destroy()
    if (ignorePunctuation) {
      await settle(600)
      const view = await viewAs(chief, id)
      expect(view.actions.some((action) => action.type === 'reopen')).toBe(false)
      expect(view.currentStageId).toBe('s2')
    } else {
      await expectReopened(id, documentId)
    }
  }, 30_000)

  test('a substantive change: 签发 back to the signer with ⚠', async () => {
    const { registrar } = office
    const { id, documentId, signed, editor } = await signedOff()
    writeBody(editor, ['各处室：', '春节期间，请安排好值班工作。'])
    await digestBecomes(registrar, documentId, (digest) => digest !== signed)
    editor.destroy()
    await expectReopened(id, documentId)
  }, 30_000)
})
