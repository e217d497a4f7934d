import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { RefusalAuditor } from '../../../server/audit/RefusalAuditor'
import { createLogger } from '../../../server/logger'

let relay: TestRelay

beforeAll(async () => {
  relay = await startTestRelay()
})

afterAll(async () => {
  await relay.close()
})

async function entries(reason: string): Promise<Record<string, unknown>[]> {
  const { rows } = await relay.audit.search({ action: 'relay.refused' }, 1000, 0)
  return rows
    .map((row) => JSON.parse(row.detail) as Record<string, unknown>)
    .filter((detail) => detail.reason === reason)
}

test('a refusal repeated a thousand times is audited once per user, room and reason, with the repeats counted later', async () => {
  let now = 1_000_000
  const auditor = new RefusalAuditor(
    relay.audit,
    createLogger({ quiet: true }),
    { windowMs: 60_000, maxKeys: 100 },
    () => now,
  )
  const actor = { id: 'u1', name: '测试' }
  for (let i = 0; i < 1000; i++) {
    auditor.refuse({ actor, room: 'doc:a', reason: 'flood_test' })
  }
  auditor.refuse({ actor, room: 'doc:b', reason: 'flood_test' })
  auditor.refuse({ actor: { id: 'u2', name: '其他' }, room: 'doc:a', reason: 'flood_test' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(await entries('flood_test')).toHaveLength(3)
  expect(auditor.suppressed).toBe(999)
  now += 61_000
  auditor.refuse({ actor, room: 'doc:a', reason: 'flood_test' })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const all = await entries('flood_test')
  expect(all).toHaveLength(4)
  expect(all.some((detail) => detail.repeatsSincePrevious === 999)).toBe(true)
})

test('the keys remembered are bounded: a flood of distinct rooms cannot grow memory without end', async () => {
  const auditor = new RefusalAuditor(relay.audit, createLogger({ quiet: true }), {
    windowMs: 60_000,
    maxKeys: 10,
  })
  for (let i = 0; i < 50; i++) {
    auditor.refuse({ actor: { id: 'u3', name: 'x' }, room: `doc:${i}`, reason: 'bounded_test' })
  }
  // The eleventh-oldest key was forgotten, so its next refusal is audited again.
  auditor.refuse({ actor: { id: 'u3', name: 'x' }, room: 'doc:0', reason: 'bounded_test' })
  expect(auditor.audited).toBe(51)
  await new Promise((resolve) => setTimeout(resolve, 300))
})
