/**
 * Meeting reminders run exactly once across nodes and survive restarts (DESIGN.md §5): two relay
 * nodes on one PostgreSQL database sweep at the same moment and each invitee gets one reminder;
 * a reminder due while no node ran is sent by the next start (SQLite and PostgreSQL).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { InboxPage } from '../../../shared/api'
import { createTestDatabase, startTestRelay, ApiClient, USER_PASSWORD } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { buildMeetingOrg } from './org'
import type { MeetingOrg } from './org'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A meeting whose reminder falls due `seconds` from now (reminder 0 minutes before its start). */
async function meetingDueIn(org: MeetingOrg, seconds: number): Promise<string> {
  const start = Date.now() + seconds * 1000
  const created = await org.organiser.api.request<{ id: string }>('POST', '/meetings', {
    title: '提醒测试会',
    start: new Date(start).toISOString(),
    end: new Date(start + 3_600_000).toISOString(),
    attendees: [org.alice.id, org.bob.id],
    remindMinutes: [0],
  })
  expect(created.status).toBe(201)
  return created.body.id
}

async function reminders(api: ApiClient, meetingId: string): Promise<number> {
  const page = (await api.request<InboxPage>('GET', '/inbox?limit=200')).body
  return page.items.filter(
    (i) => i.link === `/meetings/${meetingId}` && i.text.startsWith('会议提醒'),
  ).length
}

describe('meeting reminders', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) {
      await step().catch(() => {})
    }
  })

  test('two nodes on one PostgreSQL database sweeping at once send each reminder once', async () => {
    const database: TestDatabase = await createTestDatabase()
    cleanup.push(() => database.drop())
    const a = await startTestRelay({ databaseUrl: database.url })
    cleanup.push(() => a.close())
    const b = await startTestRelay({ databaseUrl: database.url })
    cleanup.push(() => b.close())
    const org = await buildMeetingOrg(a)
    const id = await meetingDueIn(org, 1)
    await sleep(1_200)
    // (Calls on one node while it sweeps join that sweep, so one call per node.)
    const sent = await Promise.all([a.meetings.reminders.sweep(), b.meetings.reminders.sweep()])
    expect(sent.reduce((x, y) => x + y, 0)).toBe(1)
    // Whatever the lease, a claimed reminder is never sent again.
    await a.meetings.reminders.stop()
    expect(await b.meetings.reminders.sweep()).toBe(0)
    expect(await reminders(org.alice.api, id)).toBe(1)
    expect(await reminders(org.bob.api, id)).toBe(1)
    expect(await reminders(org.organiser.api, id)).toBe(1)
    const { rows } = await a.audit.search({ action: 'meeting.reminder' }, 100, 0)
    expect(rows.filter((row) => row.target === id)).toHaveLength(1)
  })

  for (const kind of ['SQLite', 'PostgreSQL'] as const) {
    test(`a reminder due while no node ran is sent once by the next start (${kind})`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-remind-'))
      cleanup.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }))
      let databaseUrl: string | null = null
      if (kind === 'PostgreSQL') {
        const database = await createTestDatabase()
        cleanup.push(() => database.drop())
        databaseUrl = database.url
      }
      const first: TestRelay = await startTestRelay({ dataDir, databaseUrl })
      const org = await buildMeetingOrg(first)
      const id = await meetingDueIn(org, 1)
      const aliceName = (
        await org.alice.api.request<{ user: { username: string } }>('GET', '/auth/me')
      ).body.user.username
      await first.close()
      await sleep(1_200)
      const second = await startTestRelay({ dataDir, databaseUrl })
      cleanup.push(() => second.close())
      expect(await second.meetings.reminders.sweep()).toBe(1)
      expect(await second.meetings.reminders.sweep()).toBe(0)
      const { api } = await new ApiClient(second.url).login(aliceName, USER_PASSWORD)
      expect(await reminders(api, id)).toBe(1)
    })
  }
})
