/**
 * Approvals over the relay's own set-up (server/approvalSetup): device keys registered through
 * `POST /api/v1/devices`, a 代 delegation through `POST /api/v1/delegations`, the 机关代字 through
 * the admin route; a revoked device (`DELETE /api/v1/devices/<id>`) is refused afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateSm2KeyPair } from '../../../shared/crypto/sm2'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { MemorySetup, act, actionOf, buildOffice, digestOf, must } from './fixture'
import type { Office, Person } from './fixture'

let relay: TestRelay
let office: Office

beforeAll(async () => {
  relay = await startTestRelay()
  // The fixture's people and units; their keys are registered with the relay below.
  office = await buildOffice(relay, new MemorySetup(), 'rs')
  for (const who of Object.values(office).filter(
    (v): v is Person => typeof v === 'object' && v !== null && 'keys' in v,
  )) {
    await register(who)
  }
  const code = await office.admin.request(
    'PUT',
    `/admin/units/${office.units.office}/agency-code`,
    {
      agencyCode: '鲁政办发',
    },
  )
  expect(code.status, JSON.stringify(code.body)).toBe(200)
})

afterAll(async () => {
  await relay?.close()
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

describe('approvals over the real set-up', () => {
  test('devices, a delegation and the 机关代字 from set-up; a revoked device is refused', async () => {
    const { drafter, chief, secretary } = office
    const documentId = await drafter.api.createDocument('关于印发值班制度的通知')
    const started = await drafter.api.request<{ id: string }>('POST', '/approvals', {
      subject: { type: 'document', documentId },
      stages: [
        { name: '签发', kind: 'signoff', mode: 'sequential', assignees: [chief.userId] },
        { name: '编号', kind: 'number', mode: 'any', assignees: [drafter.userId] },
      ],
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const id = started.body.id
    await must(drafter, actionOf(id, 'submit', 'start'))

    const delegated = await chief.api.request('POST', '/delegations', {
      toUserId: secretary.userId,
      scope: 'signoff',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(201)
    const digest = await digestOf(drafter, documentId)
    const view = await must(
      secretary,
      actionOf(id, 'signoff', 's1', { contentDigest: digest, onBehalfOf: chief.userId }),
    )
    expect(view.state.documentNumber).toMatch(/^鲁政办发〔\d{4}〕1号$/)
    expect(view.actions.find((a) => a.type === 'signoff')).toMatchObject({
      actorId: secretary.userId,
      onBehalfOf: chief.userId,
    })

    const revoked = await drafter.api.request('DELETE', `/devices/${drafter.deviceId}`)
    expect(revoked.status).toBe(204)
    const after = await act(drafter, actionOf(id, 'comment', 'start', { opinion: '已编号' }))
    expect([after.status, after.body.error?.code]).toEqual([403, 'revoked_device'])
  })
})
