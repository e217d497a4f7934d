/**
 * Timed work on two relay nodes sharing one PostgreSQL database: a stage's reminder is recorded
 * exactly once however many nodes tick at once or later, and puts exactly one item in the
 * assignee's inbox (bell) that opens the approval page; a 催办 does too; a deactivated assignee's open place goes
 * to the successor named at deactivation, who can then act.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { InboxItem } from '../../../shared/api'
import type { Person } from './fixture'
import { createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { MemorySetup, actionOf, buildOffice, must, viewAs } from './fixture'
import type { Office } from './fixture'

let a: TestRelay
let b: TestRelay
let database: TestDatabase
let office: Office
const setup = new MemorySetup()
const HOUR = 3_600_000

beforeAll(async () => {
  database = await createTestDatabase()
  a = await startTestRelay({ approvalSetup: setup, databaseUrl: database.url })
  b = await startTestRelay({ approvalSetup: setup, databaseUrl: database.url })
  office = await buildOffice(a, setup, 'jb')
})

afterAll(async () => {
  await a?.close()
  await b?.close()
  await database?.drop()
})

async function leave(days: number): Promise<string> {
  const { status, body } = await office.drafter.api.request<{ id: string }>('POST', '/approvals', {
    subject: {
      type: 'form',
      formId: 'leave',
      data: { leaveType: '事假', startDate: '2026-12-28', days, reason: '家事' },
    },
    flowId: 'leave',
  })
  expect(status, JSON.stringify(body)).toBe(201)
  await must(office.drafter, actionOf(body.id, 'submit', 'start'))
  return body.id
}

/** @returns the approval items of `who`'s inbox about `approvalId`. */
async function approvalItems(who: Person, approvalId: string): Promise<InboxItem[]> {
  const { status, body } = await who.api.request<{ items: InboxItem[] }>('GET', '/inbox')
  expect(status).toBe(200)
  return body.items.filter(
    (item) => item.kind === 'approval' && item.link === `/approvals/${approvalId}`,
  )
}

/** Waits for the after-commit notices to reach the inbox table. */
async function itemsOf(who: Person, approvalId: string, count: number): Promise<InboxItem[]> {
  const deadline = Date.now() + 5000
  let items = await approvalItems(who, approvalId)
  while (items.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    items = await approvalItems(who, approvalId)
  }
  return items
}

describe('approval jobs on two nodes', () => {
  test('the reminder 4 h before the 24 h limit is recorded exactly once', async () => {
    const id = await leave(1)
    const early = Date.now() + 10 * HOUR
    await Promise.all([a.approvals.jobs.tick(early), b.approvals.jobs.tick(early)])
    expect((await viewAs(office.head, id)).actions.filter((x) => x.type === 'remind')).toEqual([])

    const due = Date.now() + 21 * HOUR
    const ran = await Promise.all([a.approvals.jobs.tick(due), b.approvals.jobs.tick(due)])
    expect(ran.filter(Boolean).length).toBeGreaterThanOrEqual(1)
    // Later ticks, past the lease, on either node: still one.
    await b.approvals.jobs.tick(due + 10 * HOUR)
    await a.approvals.jobs.tick(due + 20 * HOUR)
    const view = await viewAs(office.head, id)
    const reminders = view.actions.filter((x) => x.type === 'remind')
    expect(reminders).toHaveLength(1)
    expect(reminders[0]).toMatchObject({ actorId: 'system', stageId: 'head', outcome: 'applied' })

    // The head (who must act) finds one item in the bell; the drafter, who waits, none.
    const items = await itemsOf(office.head, id, 1)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      kind: 'approval',
      text: '《请假申请》的审批已到期提醒，请尽快处理',
      excerpt: '当前环节：科室负责人审批',
      link: `/approvals/${id}`,
      actorId: null,
      readAt: null,
    })
    // The jobs run again, on both nodes: still one.
    await Promise.all([
      a.approvals.jobs.tick(due + 30 * HOUR),
      b.approvals.jobs.tick(due + 30 * HOUR),
    ])
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await approvalItems(office.head, id)).toHaveLength(1)
    expect(await approvalItems(office.drafter, id)).toEqual([])
  })

  test('a 催办 puts one item per 催办 in the assignee’s inbox, named after who urged', async () => {
    const { drafter, head } = office
    const id = await leave(1)
    await must(drafter, actionOf(id, 'urge', 'head', { opinion: '明天出发，请尽快审批' }))
    const items = await itemsOf(head, id, 1)
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      kind: 'approval',
      text: '李明 催办《请假申请》的审批，请尽快处理',
      excerpt: '当前环节：科室负责人审批；明天出发，请尽快审批',
      link: `/approvals/${id}`,
      actorId: drafter.userId,
      actorName: '李明',
    })
    expect(await approvalItems(drafter, id)).toEqual([])
  })

  test("a deactivated assignee's place goes to the named successor, who acts", async () => {
    const { admin, head, anyA } = office
    const id = await leave(2)
    const deactivated = await admin.request('POST', `/admin/users/${head.userId}/deactivate`, {
      successorId: anyA.userId,
    })
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200)
    await b.approvals.jobs.tick(Date.now() + 100 * HOUR)
    let view = await viewAs(anyA, id)
    const reassign = view.actions.find((x) => x.type === 'reassign')
    expect(reassign).toMatchObject({
      stageId: 'head',
      target: { fromUserId: head.userId, userId: anyA.userId },
    })
    expect(view.state.pending).toEqual([anyA.userId])
    view = await must(anyA, actionOf(id, 'approve', 'head', { opinion: '代为审批' }))
    expect(view.status).toBe('approved')
  })
})
