/**
 * Issue 17, finding 6: a unit admin acts only on accounts whose roles they could grant themselves.
 * A system administrator placed in the unit admin's unit is out of their reach for every action,
 * each refusal is audited, and the same actions on an ordinary colleague still work.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  ApiClient,
  USER_PASSWORD,
  adminClient,
  createTestDatabase,
  startTestRelay,
} from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import type { ApiAccount, ApiAuditEntry, ApiUnit, DirectoryEntry } from '../../../shared/api'

const ROOT_PHONE = '13800001111'

describe.each(['sqlite', 'postgres'] as const)('admin scope on %s', (dialect) => {
  let database: TestDatabase | null = null
  let relay: TestRelay
  let admin: ApiClient
  let unitAdmin: ApiClient
  let unitAdminId: string
  let city: ApiUnit
  let rootId: string
  let clerkId: string

  async function create(body: Record<string, unknown>): Promise<string> {
    const { status, body: created } = await admin.request<{ id: string }>(
      'POST',
      '/admin/users',
      body,
    )
    expect(status).toBe(201)
    return created.id
  }

  async function denials(): Promise<ApiAuditEntry[]> {
    const { body } = await admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      `/admin/audit?actorId=${unitAdminId}&limit=500`,
    )
    return body.entries.filter((e) => e.action.endsWith('_denied'))
  }

  beforeAll(async () => {
    database = dialect === 'postgres' ? await createTestDatabase() : null
    relay = await startTestRelay({ databaseUrl: database?.url ?? null })
    admin = await adminClient(relay)
    const province = await admin.request<ApiUnit>('POST', '/admin/units', {
      parentId: null,
      kind: 'province',
      name: '山东省',
      code: 'sd',
    })
    const made = await admin.request<ApiUnit>('POST', '/admin/units', {
      parentId: province.body.id,
      kind: 'city',
      name: '济南市',
      code: 'jn',
    })
    city = made.body
    unitAdminId = await create({
      username: 'jn_admin',
      displayName: '济南管理员',
      unitId: city.id,
      roles: ['unitadmin'],
      password: USER_PASSWORD,
    })
    // A system administrator whose primary unit is the city: the unit admin's subtree.
    rootId = await create({
      username: 'jn_root',
      displayName: '省里派驻的系统管理员',
      unitId: city.id,
      roles: ['sysadmin'],
      password: USER_PASSWORD,
      phone: ROOT_PHONE,
    })
    expect(
      (await admin.request('PATCH', `/admin/users/${rootId}`, { phoneVisibility: 'hidden' }))
        .status,
    ).toBe(200)
    clerkId = await create({
      username: 'jn_clerk',
      displayName: '济南文书',
      unitId: city.id,
      password: USER_PASSWORD,
    })
    unitAdmin = (await new ApiClient(relay.url).login('jn_admin', USER_PASSWORD)).api
  })

  afterAll(async () => {
    await relay?.close()
    await database?.drop()
  })

  test('every action of a unit admin on a system administrator in their unit is refused and audited', async () => {
    const attempts: [string, string, unknown?][] = [
      ['GET', `/admin/users/${rootId}`],
      ['PATCH', `/admin/users/${rootId}`, { displayName: '改名' }],
      ['PATCH', `/admin/users/${rootId}`, { roles: ['drafter'] }],
      ['PATCH', `/admin/users/${rootId}`, { phone: '13900000000' }],
      ['PATCH', `/admin/users/${rootId}`, { phoneVisibility: 'public' }],
      ['PATCH', `/admin/users/${rootId}`, { posts: [{ unitId: city.id, title: '科员' }] }],
      ['POST', `/admin/users/${rootId}/move`, { unitId: city.id }],
      ['POST', `/admin/users/${rootId}/reset-password`],
      ['POST', `/admin/users/${rootId}/deactivate`, {}],
      ['POST', `/admin/users/${rootId}/reactivate`],
    ]
    for (const [method, route, body] of attempts) {
      const response = await unitAdmin.request<{ error: { code: string; message: string } }>(
        method,
        route,
        body,
      )
      expect(response.status, `${method} ${route} ${JSON.stringify(body)}`).toBe(403)
      expect(response.body.error.code).toBe('forbidden')
      expect(response.body.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
    // One audit entry per refusal (none of them existed before: the attempts above are the first).
    expect((await denials()).filter((e) => e.target === rootId)).toHaveLength(attempts.length)

    // Nothing changed: the system administrator still signs in with their password and role.
    const root = await new ApiClient(relay.url).login('jn_root', USER_PASSWORD)
    const me = await root.api.request<{ user: { roles: string[]; displayName: string } }>(
      'GET',
      '/auth/me',
    )
    expect(me.body.user).toMatchObject({ roles: ['sysadmin'], displayName: '省里派驻的系统管理员' })
    const seen = await admin.request<ApiAccount>('GET', `/admin/users/${rootId}`)
    expect(seen.body).toMatchObject({ active: true, phone: ROOT_PHONE, phoneVisibility: 'hidden' })
  })

  test('the unit admin does not see the system administrator in the account list or their hidden phone', async () => {
    const listed = await unitAdmin.request<{ accounts: ApiAccount[]; total: number }>(
      'GET',
      `/admin/users?unitId=${city.id}`,
    )
    expect(listed.status).toBe(200)
    expect(listed.body.accounts.map((a) => a.username).sort()).toEqual(['jn_admin', 'jn_clerk'])
    expect(listed.body.total).toBe(2)
    const all = await unitAdmin.request<{ accounts: ApiAccount[] }>('GET', '/admin/users')
    expect(all.body.accounts.map((a) => a.username)).not.toContain('jn_root')
    const found = await unitAdmin.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=jn_root',
    )
    const entry = found.body.entries.find((e) => e.username === 'jn_root')
    expect(entry).toBeDefined()
    expect(entry?.phone ?? null).toBeNull()
    // A system administrator still sees it.
    const bySysadmin = await admin.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=jn_root',
    )
    expect(bySysadmin.body.entries.find((e) => e.username === 'jn_root')?.phone).toBe(ROOT_PHONE)
  })

  test('the same unit admin still manages an ordinary colleague in the unit', async () => {
    expect((await unitAdmin.request('GET', `/admin/users/${clerkId}`)).status).toBe(200)
    expect(
      (
        await unitAdmin.request('PATCH', `/admin/users/${clerkId}`, {
          displayName: '济南文书甲',
          phone: '13700000000',
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await unitAdmin.request('PATCH', `/admin/users/${clerkId}`, {
          roles: ['drafter', 'registrar'],
        })
      ).status,
    ).toBe(200)
    const reset = await unitAdmin.request<{ activationCode: string }>(
      'POST',
      `/admin/users/${clerkId}/reset-password`,
    )
    expect(reset.status).toBe(200)
    expect((await unitAdmin.request('POST', `/admin/users/${clerkId}/deactivate`, {})).status).toBe(
      200,
    )
    expect((await unitAdmin.request('POST', `/admin/users/${clerkId}/reactivate`)).status).toBe(200)
  })
})
