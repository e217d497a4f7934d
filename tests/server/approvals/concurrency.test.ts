/**
 * Concurrency on SQLite and PostgreSQL: two 或签 approvers acting at once — exactly one applied,
 * the other recorded as superseded and told so, both see the same timeline; the 发文字号 register
 * stays gap-free when many approvals are numbered at once (PostgreSQL: several connections race).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { MemorySetup, act, actionOf, buildOffice, must, viewAs } from './fixture'
import type { Office } from './fixture'

describe.each(['sqlite', 'postgres'] as const)('concurrency (%s)', (dialect) => {
  let relay: TestRelay
  let database: TestDatabase | null = null
  let office: Office
  const setup = new MemorySetup()

  beforeAll(async () => {
    database = dialect === 'postgres' ? await createTestDatabase() : null
    relay = await startTestRelay({ approvalSetup: setup, databaseUrl: database?.url ?? null })
    office = await buildOffice(relay, setup, `cc${dialect[0]}`)
  })

  afterAll(async () => {
    await relay?.close()
    await database?.drop()
  })

  test('或签: two approvers at once — exactly one applied, the other superseded; same timeline', async () => {
    const { drafter, anyA, anyB } = office
    for (let round = 0; round < 5; round++) {
      const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
        subject: {
          type: 'form',
          formId: 'leave',
          data: { leaveType: '事假', startDate: '2026-12-20', days: 1, reason: '家中有事' },
        },
        stages: [{ name: '审核', mode: 'any', assignees: [anyA.userId, anyB.userId] }],
      })
      expect(started.status, JSON.stringify(started.body)).toBe(201)
      const id = started.body.id
      await must(drafter, actionOf(id, 'submit', 'start'))
      // Signed "offline" before either was sent.
      const answers = await Promise.all(
        [anyA, anyB].map((who) =>
          act(who, actionOf(id, 'approve', 's1', { opinion: `${who.name}同意` })),
        ),
      )
      expect(answers.map((a) => a.status)).toEqual([200, 200])
      expect(answers.map((a) => a.body.outcome).sort()).toEqual(['applied', 'superseded'])
      const [viewA, viewB] = await Promise.all([viewAs(anyA, id), viewAs(anyB, id)])
      expect(viewA.status).toBe('approved')
      expect(viewA.actions).toEqual(viewB.actions)
      expect(
        viewA.actions
          .filter((a) => a.type === 'approve')
          .map((a) => a.outcome)
          .sort(),
      ).toEqual(['applied', 'superseded'])
    }
  }, 60_000)

  test('the register is gap-free when many approvals reach 编号 at once', async () => {
    const { drafter, head, chief } = office
    const ids: string[] = []
    const count = 12
    for (let i = 0; i < count; i++) {
      const documentId = await drafter.api.createDocument(`通知${i}`)
      const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
        subject: { type: 'document', documentId },
        stages: [
          { name: '签发', kind: 'signoff', mode: 'sequential', assignees: [chief.userId] },
          { name: '编号', kind: 'number', mode: 'any', assignees: [head.userId] },
        ],
      })
      expect(started.status, JSON.stringify(started.body)).toBe(201)
      await must(drafter, actionOf(started.body.id, 'submit', 'start'))
      ids.push(started.body.id)
    }
    const digests = await Promise.all(
      ids.map(async (id) => {
        const view = await viewAs(chief, id)
        const documentId =
          view.instance.subject.type === 'document' ? view.instance.subject.documentId : ''
        const { body } = await chief.api.request<{ digest: string }>(
          'GET',
          `/documents/${documentId}/digest`,
        )
        return body.digest
      }),
    )
    const answers = await Promise.all(
      ids.map((id, index) =>
        act(chief, actionOf(id, 'signoff', 's1', { contentDigest: digests[index] })),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200))
    const numbers = answers.map((a) => a.body.approval?.state.documentNumber ?? '')
    const serials = numbers.map((n) => Number(/〕(\d+)号$/.exec(n)?.[1])).sort((x, y) => x - y)
    expect(serials).toEqual(Array.from({ length: count }, (_, i) => i + 1))
  }, 60_000)
})
