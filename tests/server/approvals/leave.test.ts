/**
 * Forms: a 请假 of 5 days goes through the extra 分管领导 stage, one of 2 days does not; invalid
 * form data is refused with the field's message; the 待办 counts change live in the second
 * browser's `inbox:<userId>` room within 1 s of an action; 待办 boxes list what they should.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { TodoItem } from '../../../shared/http/routes/approvals'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import { MemorySetup, actionOf, buildOffice, must, sign, viewAs } from './fixture'
import type { Office } from './fixture'

let relay: TestRelay
let office: Office
const setup = new MemorySetup()

beforeAll(async () => {
  relay = await startTestRelay({ approvalSetup: setup })
  office = await buildOffice(relay, setup, 'lv')
})

afterAll(async () => {
  await relay?.close()
})

async function leave(days: number): Promise<string> {
  const { status, body } = await office.drafter.api.request<{ id: string }>('POST', '/approvals', {
    subject: {
      type: 'form',
      formId: 'leave',
      data: { leaveType: '年休假', startDate: '2026-12-21', days, reason: '休假' },
    },
    flowId: 'leave',
  })
  expect(status, JSON.stringify(body)).toBe(201)
  return body.id
}

describe('请假', () => {
  test('5 days: 科室负责人 then 分管领导; 2 days: 科室负责人 only', async () => {
    const { drafter, head, vice } = office
    const long = await leave(5)
    await must(drafter, actionOf(long, 'submit', 'start'))
    let view = await must(head, actionOf(long, 'approve', 'head', { opinion: '同意' }))
    expect(view.instance.stages.map((stage) => stage.id)).toEqual(['head', 'leader'])
    expect(view.currentStageId).toBe('leader')
    expect(view.state.pending).toEqual([vice.userId])
    view = await must(vice, actionOf(long, 'approve', 'leader'))
    expect(view.status).toBe('approved')

    const short = await leave(2)
    await must(drafter, actionOf(short, 'submit', 'start'))
    view = await must(head, actionOf(short, 'approve', 'head'))
    expect(view.instance.stages.map((stage) => stage.id)).toEqual(['head'])
    expect(view.status).toBe('approved')
    expect((await viewAs(drafter, short)).status).toBe('approved')
  })

  test('invalid form data is refused with the field named', async () => {
    const { status, body } = await office.drafter.api.request<{
      error: { code: string; message: string }
    }>('POST', '/approvals', {
      subject: { type: 'form', formId: 'leave', data: { leaveType: '年休假', days: -1 } },
      flowId: 'leave',
    })
    expect(status).toBe(400)
    expect(body.error.message).toContain('表单填写有误')
  })

  test('待办 counts change in a second browser within 1 s; the boxes list the approval', async () => {
    const { drafter, head } = office
    const inbox = connect(relay.wsUrl, `inbox:${head.userId}`, head.token)
    await synced(inbox)
    const counts = inbox.doc.getMap<number>('counts')
    const id = await leave(1)
    await must(drafter, actionOf(id, 'submit', 'start'))
    const pendingBefore = (
      await head.api.request<{ counts: { pending: number } }>('GET', '/todos?box=pending')
    ).body.counts.pending
    await waitFor(() => counts.get('pending') === pendingBefore, 'pending count in the room')
    const started = Date.now()
    await must(head, actionOf(id, 'approve', 'head'))
    await waitFor(
      () => counts.get('pending') === pendingBefore - 1,
      'pending count decreases',
      1000,
    )
    expect(Date.now() - started).toBeLessThan(1000)
    inbox.destroy()

    const done = await head.api.request<{ items: TodoItem[] }>('GET', '/todos?box=done')
    expect(done.body.items.map((item) => item.approvalId)).toContain(id)
    const mine = await drafter.api.request<{ items: TodoItem[]; counts: { initiated: number } }>(
      'GET',
      '/todos?box=initiated',
    )
    const item = mine.body.items.find((entry) => entry.approvalId === id)
    expect(item).toMatchObject({
      status: 'approved',
      subjectType: 'form',
      formId: 'leave',
      initiatorName: '李明',
      reopened: false,
    })
    expect(mine.body.counts.initiated).toBeGreaterThanOrEqual(1)
  })

  test('批量审批: review stages in one batch; a 签发 in a batch is refused', async () => {
    const { drafter, head, chief } = office
    const first = await leave(1)
    const second = await leave(1)
    for (const id of [first, second]) {
      await must(drafter, actionOf(id, 'submit', 'start'))
    }
    const signed = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: {
        type: 'form',
        formId: 'leave',
        data: { leaveType: '事假', startDate: '2026-12-22', days: 1, reason: '事' },
      },
      stages: [{ name: '签发', kind: 'signoff', mode: 'sequential', assignees: [chief.userId] }],
    })
    await must(drafter, actionOf(signed.body.id, 'submit', 'start'))
    const { status, body } = await head.api.request<{
      results: { approvalId: string; outcome?: string; error?: { code: string } }[]
    }>('POST', '/approvals/batch', {
      items: [first, second].map((id) =>
        sign(head, actionOf(id, 'approve', 'head', { opinion: '同意' })),
      ),
    })
    expect(status).toBe(200)
    expect(body.results).toEqual([
      { approvalId: first, outcome: 'applied' },
      { approvalId: second, outcome: 'applied' },
    ])
    const refused = await chief.api.request<{ results: { error?: { code: string } }[] }>(
      'POST',
      '/approvals/batch',
      {
        items: [sign(chief, actionOf(signed.body.id, 'signoff', 's1'))],
      },
    )
    expect(refused.body.results[0]?.error?.code).toBe('invalid_action')
    expect((await viewAs(chief, signed.body.id)).status).toBe('running')
  })
})
