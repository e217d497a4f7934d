/**
 * Device keys and delegations through the real HTTP API, on SQLite and PostgreSQL: a person
 * registers the SM2 public keys of their devices, revokes them (the time stays on record), and
 * everyone signed in reads them; a leader delegates to a secretary, who sees it; refusals are
 * refused with the §6 error shape and audited. The ApprovalSetup ports see the same rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateSm2KeyPair } from '../../../shared/crypto/sm2'
import type { DelegationView, DeviceView } from '../../../shared/http/routes/approvalSetup'
import type { DirectoryEntry } from '../../../shared/api'
import { ApiClient } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import { BACKENDS } from './backends'
import type { Backend } from './backends'
import { buildOrg } from './people'
import type { Org } from './people'

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string }
}

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString()

describe.each(BACKENDS)('device keys and delegations on $name', (backend) => {
  let b: Backend
  let org: Org

  beforeAll(async () => {
    b = await backend.start()
    org = await buildOrg(b.relay)
  }, 60_000)

  afterAll(async () => {
    await b.stop()
  })

  const auditCount = async (action: string, target?: string): Promise<number> => {
    const rows =
      target === undefined
        ? await b.sql('SELECT seq FROM audit_log WHERE action = $1', [action])
        : await b.sql('SELECT seq FROM audit_log WHERE action = $1 AND target = $2', [
            action,
            target,
          ])
    return rows.length
  }

  test('a device key is registered to the signed-in account, listed, revoked with its time, and stays published', async () => {
    const { leader, clerk } = org
    const pair = generateSm2KeyPair()
    const created = await leader.api.request<{ id: string }>('POST', '/devices', {
      publicKey: pair.publicKey.toUpperCase().replace(/^04/, '04'),
      label: '办公室电脑',
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(await auditCount('device.register', id)).toBe(1)

    const mine = await leader.api.request<{ devices: DeviceView[] }>('GET', '/devices')
    expect(mine.body.devices).toEqual([
      expect.objectContaining({
        id,
        label: '办公室电脑',
        publicKey: pair.publicKey,
        revokedAt: null,
      }),
    ])

    // Another person cannot revoke it: it answers as no such device, and the attempt is audited.
    const foreign = await clerk.api.request<ErrorBody>('DELETE', `/devices/${id}`)
    expect(foreign.status).toBe(404)
    expect(foreign.body.error.code).toBe('not_found')
    expect(await auditCount('device.revoke_refused', id)).toBe(1)

    // The key is published: the clerk (any signed-in account) reads the leader's keys.
    const published = await clerk.api.request<{ devices: DeviceView[] }>(
      'GET',
      `/users/${leader.id}/devices`,
    )
    expect(published.body.devices.map((d) => d.publicKey)).toEqual([pair.publicKey])

    const before = Date.now()
    expect((await leader.api.request('DELETE', `/devices/${id}`)).status).toBe(204)
    // A second revocation changes nothing: the first time stays.
    expect((await leader.api.request('DELETE', `/devices/${id}`)).status).toBe(204)
    expect(await auditCount('device.revoke', id)).toBe(1)
    const after = await clerk.api.request<{ devices: DeviceView[] }>(
      'GET',
      `/users/${leader.id}/devices`,
    )
    const revokedAt = after.body.devices[0]?.revokedAt ?? null
    expect(revokedAt).not.toBeNull()
    expect(Date.parse(revokedAt ?? '')).toBeGreaterThanOrEqual(before - 1000)

    const port = await b.relay.approvalSetup.devices.device(id)
    expect(port).toMatchObject({ id, userId: leader.id, publicKey: pair.publicKey })
    expect(port?.revokedAt).toBe(Date.parse(revokedAt ?? ''))
    expect(await b.relay.approvalSetup.devices.device('no-such-device')).toBeNull()

    // A revoked key cannot be registered again, by anyone.
    const again = await clerk.api.request<ErrorBody>('POST', '/devices', {
      publicKey: pair.publicKey,
      label: '偷来的',
    })
    expect(again.status).toBe(409)
  })

  test('a key that is not a point of the curve, a malformed body, or no session is refused', async () => {
    const { clerk } = org
    const offCurve = `04${'1'.repeat(128)}`
    const refused = await clerk.api.request<ErrorBody>('POST', '/devices', {
      publicKey: offCurve,
      label: '坏钥匙',
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/公钥无效/)
    expect(await auditCount('device.register_refused')).toBeGreaterThanOrEqual(1)

    for (const body of [
      { publicKey: '04abc', label: 'x' },
      { publicKey: generateSm2KeyPair().publicKey, label: '' },
      { publicKey: generateSm2KeyPair().publicKey, label: 'x'.repeat(65) },
      { publicKey: generateSm2KeyPair().publicKey, label: 'x', userId: org.leader.id },
    ]) {
      const answer = await clerk.api.request<ErrorBody>('POST', '/devices', body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.body.error.code).toBe('bad_request')
    }
    const anonymous = new ApiClient(b.relay.url)
    expect((await anonymous.request('GET', `/users/${org.leader.id}/devices`)).status).toBe(401)
    expect((await clerk.api.request('GET', '/users/nobody/devices')).status).toBe(404)
  })

  test('an account holds at most 20 keys in force; revoking one makes room', async () => {
    const { secretary } = org
    const ids: string[] = []
    for (let i = 0; i < 20; i++) {
      const answer = await secretary.api.request<{ id: string }>('POST', '/devices', {
        publicKey: generateSm2KeyPair().publicKey,
        label: `设备${i}`,
      })
      expect(answer.status).toBe(201)
      ids.push(answer.body.id)
    }
    const over = await secretary.api.request<ErrorBody>('POST', '/devices', {
      publicKey: generateSm2KeyPair().publicKey,
      label: '第21台',
    })
    expect(over.status).toBe(409)
    expect(over.body.error.message).toMatch(/上限|20/)
    expect((await secretary.api.request('DELETE', `/devices/${ids[0] ?? ''}`)).status).toBe(204)
    const room = await secretary.api.request('POST', '/devices', {
      publicKey: generateSm2KeyPair().publicKey,
      label: '第21台',
    })
    expect(room.status).toBe(201)
    const listed = await secretary.api.request<{ devices: DeviceView[] }>('GET', '/devices')
    expect(listed.body.devices).toHaveLength(21)
    expect(listed.body.devices.filter((d) => d.revokedAt === null)).toHaveLength(20)
  })

  test('concurrent registrations keep the cap, and one key goes to one account only', async () => {
    const { cityAdmin, clerk } = org
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        cityAdmin.api.request('POST', '/devices', {
          publicKey: generateSm2KeyPair().publicKey,
          label: `并发${i}`,
        }),
      ),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20)
    expect(answers.filter((a) => a.status === 409)).toHaveLength(5)

    const shared = generateSm2KeyPair().publicKey
    const race = await Promise.all(
      [org.leader, clerk, org.leader, clerk].map((who) =>
        who.api.request<ErrorBody>('POST', '/devices', { publicKey: shared, label: '抢注' }),
      ),
    )
    expect(race.map((a) => a.status).sort()).toEqual([201, 409, 409, 409])
    const owners = await b.sql('SELECT user_id FROM device_keys WHERE public_key = $1', [shared])
    expect(owners).toHaveLength(1)
  })

  test('two accounts registering one key in overlapping transactions: one 201, one 409, never a 500', async () => {
    if (backend.name === 'PostgreSQL') {
      // Each insert waits, so both transactions pass the "already registered?" check before
      // either inserts: the unique index decides, and its refusal must still read as a 409.
      await b.exec(`CREATE FUNCTION slow_device() RETURNS trigger AS $$
          BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER slow_device BEFORE INSERT ON device_keys FOR EACH ROW
          EXECUTE FUNCTION slow_device();`)
    }
    try {
      const shared = generateSm2KeyPair().publicKey
      const race = await Promise.all(
        [org.leader, org.clerk].map((who) =>
          who.api.request<ErrorBody>('POST', '/devices', { publicKey: shared, label: '抢注' }),
        ),
      )
      expect(race.map((a) => a.status).sort()).toEqual([201, 409])
      expect(race.find((a) => a.status === 409)?.body.error.code).toBe('conflict')
    } finally {
      if (backend.name === 'PostgreSQL') {
        await b.exec('DROP TRIGGER slow_device ON device_keys; DROP FUNCTION slow_device();')
      }
    }
  })

  test('the directory publishes the keys in force of the people it lists', async () => {
    const { clerk } = org
    const pair = generateSm2KeyPair()
    const created = await clerk.api.request<{ id: string }>('POST', '/devices', {
      publicKey: pair.publicKey,
      label: '笔记本',
    })
    expect(created.status).toBe(201)
    const search = async (): Promise<DirectoryEntry | undefined> => {
      const { body } = await org.leader.api.request<{ entries: DirectoryEntry[] }>(
        'GET',
        `/directory/search?q=${encodeURIComponent('张科员')}`,
      )
      return body.entries.find((entry) => entry.id === clerk.id)
    }
    // Exactly the clerk's keys in force (other tests may have given the clerk some).
    const inForce = async (): Promise<string[]> => {
      const { body } = await clerk.api.request<{ devices: DeviceView[] }>('GET', '/devices')
      return body.devices.filter((d) => d.revokedAt === null).map((d) => d.publicKey)
    }
    const before = await inForce()
    expect(before).toContain(pair.publicKey)
    expect((await search())?.publicKeys).toEqual(before)

    // The read-only room of the clerk's unit carries them too, live: a revocation removes the key.
    const room = connect(b.relay.wsUrl, `directory:${org.sectionId}`, org.leader.api.token)
    try {
      await synced(room)
      const entry = (): DirectoryEntry | undefined =>
        room.doc.getMap<DirectoryEntry>('entries').get(clerk.id)
      await waitFor(
        () => entry()?.publicKeys?.includes(pair.publicKey) === true,
        'the key in the room',
      )
      await clerk.api.request('DELETE', `/devices/${created.body.id}`)
      await waitFor(
        () => entry() !== undefined && entry()?.publicKeys?.includes(pair.publicKey) !== true,
        'the key gone from the room',
      )
    } finally {
      room.destroy()
    }
    const after = await inForce()
    expect(after).not.toContain(pair.publicKey)
    expect((await search())?.publicKeys ?? []).toEqual(after)
  })

  test('a leader delegates 签发 to a secretary, both see it, the port hands it to the approvals service, and revoking ends it', async () => {
    const { leader, secretary } = org
    const until = inDays(7)
    const created = await leader.api.request<{ id: string }>('POST', '/delegations', {
      toUserId: secretary.id,
      scope: 'signoff',
      until,
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(await auditCount('delegation.create', id)).toBe(1)

    const given = await leader.api.request<{ given: DelegationView[]; received: DelegationView[] }>(
      'GET',
      '/delegations',
    )
    expect(given.body.given).toEqual([
      expect.objectContaining({
        id,
        fromUserId: leader.id,
        fromName: '王分管',
        toUserId: secretary.id,
        toName: '李秘书',
        scope: 'signoff',
        until,
        revokedAt: null,
      }),
    ])
    expect(given.body.received).toEqual([])
    const received = await secretary.api.request<{ received: DelegationView[] }>(
      'GET',
      '/delegations',
    )
    expect(received.body.received.map((d) => d.id)).toEqual([id])

    const port = await b.relay.approvalSetup.delegations.givenTo(secretary.id)
    expect(port).toEqual([
      expect.objectContaining({ from: leader.id, to: secretary.id, scope: 'signoff', until }),
    ])

    // Only the leader who gave it revokes it; the deputy's attempt is a 404, audited.
    const byDeputy = await secretary.api.request('DELETE', `/delegations/${id}`)
    expect(byDeputy.status).toBe(404)
    expect(await auditCount('delegation.revoke_refused', id)).toBe(1)
    expect((await leader.api.request('DELETE', `/delegations/${id}`)).status).toBe(204)
    expect(await auditCount('delegation.revoke', id)).toBe(1)
    expect(await b.relay.approvalSetup.delegations.givenTo(secretary.id)).toEqual([])
    const after = await leader.api.request<{ given: DelegationView[] }>('GET', '/delegations')
    expect(after.body.given[0]?.revokedAt).not.toBeNull()
  })

  test('self-delegation, a past or far `until`, an unknown or deactivated deputy are refused and audited', async () => {
    const { leader, secretary, goneId } = org
    const cases: [unknown, number][] = [
      [{ toUserId: leader.id, scope: 'all', until: inDays(1) }, 400],
      [{ toUserId: secretary.id, scope: 'all', until: inDays(-1) }, 400],
      [{ toUserId: secretary.id, scope: 'all', until: inDays(400) }, 400],
      [{ toUserId: 'nobody', scope: 'all', until: inDays(1) }, 404],
      [{ toUserId: goneId, scope: 'signoff', until: inDays(1) }, 409],
      [{ toUserId: secretary.id, scope: 'everything', until: inDays(1) }, 400],
      [{ toUserId: secretary.id, scope: 'all', until: '2030-01-01' }, 400],
    ]
    const refusalsBefore = await auditCount('delegation.create_refused')
    for (const [body, status] of cases) {
      const answer = await leader.api.request<ErrorBody>('POST', '/delegations', body)
      expect(answer.status, JSON.stringify(body)).toBe(status)
      expect(answer.body.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
    // The five that reach the service are audited (schema refusals are answered at the edge).
    expect(await auditCount('delegation.create_refused')).toBe(refusalsBefore + 5)
    expect(await b.relay.approvalSetup.delegations.givenTo(goneId)).toEqual([])
  })
})
