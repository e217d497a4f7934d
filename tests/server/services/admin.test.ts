import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiClient, USER_PASSWORD, adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import type { ApiAuditEntry, ApiUnit, DirectoryEntry } from '../../../shared/api'

let relay: TestRelay
let admin: ApiClient
const units: Record<string, ApiUnit> = {}

async function unit(
  key: string,
  parentKey: string | null,
  kind: string,
  name: string,
): Promise<ApiUnit> {
  const { status, body } = await admin.request<ApiUnit>('POST', '/admin/units', {
    parentId: parentKey === null ? null : units[parentKey]!.id,
    kind,
    name,
    code: key,
  })
  expect(status).toBe(201)
  units[key] = body
  return body
}

async function auditEntries(action: string): Promise<ApiAuditEntry[]> {
  const { body } = await admin.request<{ entries: ApiAuditEntry[] }>(
    'GET',
    `/admin/audit?action=${action}`,
  )
  return body.entries
}

beforeAll(async () => {
  relay = await startTestRelay()
  admin = await adminClient(relay)
  await unit('sd', null, 'province', '山东省')
  await unit('jn', 'sd', 'city', '济南市')
  await unit('qd', 'sd', 'city', '青岛市')
  await unit('lx', 'jn', 'county', '历下区')
  await unit('sz', 'jn', 'county', '市中区')
  await unit('ls', 'qd', 'county', '崂山区')
  await unit('lx-ban', 'lx', 'department', '区政府办公室')
})

afterAll(async () => {
  await relay.close()
})

describe('the org tree', () => {
  test('a unit moves with its whole subtree, and rules on kinds and cycles hold', async () => {
    const moved = await admin.request<ApiUnit>('POST', `/admin/units/${units.lx!.id}/move`, {
      parentId: units.qd!.id,
    })
    expect(moved.status).toBe(200)
    expect(moved.body.path).toEqual([units.sd!.id, units.qd!.id, units.lx!.id])
    const tree = await admin.request<{ units: ApiUnit[] }>('GET', '/units')
    const dept = tree.body.units.find((u) => u.code === 'lx-ban')!
    expect(dept.path).toEqual([units.sd!.id, units.qd!.id, units.lx!.id, dept.id])
    // Back where it was, for the other tests.
    expect(
      (await admin.request('POST', `/admin/units/${units.lx!.id}/move`, { parentId: units.jn!.id }))
        .status,
    ).toBe(200)
    expect(
      (await admin.request('POST', `/admin/units/${units.jn!.id}/move`, { parentId: units.lx!.id }))
        .status,
    ).toBe(400)
    const badKind = await admin.request('POST', '/admin/units', {
      parentId: units.lx!.id,
      kind: 'city',
      name: '错',
      code: 'bad',
    })
    expect(badKind.status).toBe(400)
    const dup = await admin.request('POST', '/admin/units', {
      parentId: units.lx!.id,
      kind: 'township',
      name: '重复',
      code: 'jn',
    })
    expect(dup.status).toBe(409)
    expect((await admin.request('DELETE', `/admin/units/${units.jn!.id}`)).status).toBe(409)
  })

  test('a county admin who creates an account in another county gets 403 and an audit entry', async () => {
    const created = await admin.request<{ id: string }>('POST', '/admin/users', {
      username: 'lx_admin',
      displayName: '历下管理员',
      unitId: units.lx!.id,
      roles: ['unitadmin'],
      password: USER_PASSWORD,
    })
    expect(created.status).toBe(201)
    const countyAdmin = (await new ApiClient(relay.url).login('lx_admin', USER_PASSWORD)).api
    const inside = await countyAdmin.request('POST', '/admin/users', {
      username: 'lx_clerk',
      displayName: '历下文书',
      unitId: units['lx-ban']!.id,
      password: USER_PASSWORD,
    })
    expect(inside.status).toBe(201)
    const outside = await countyAdmin.request('POST', '/admin/users', {
      username: 'ls_clerk',
      displayName: '崂山文书',
      unitId: units.ls!.id,
      password: USER_PASSWORD,
    })
    expect(outside.status).toBe(403)
    const denied = await auditEntries('user.create_denied')
    expect(denied.some((e) => e.actorId === created.body.id && e.target === 'ls_clerk')).toBe(true)
    // Nor may they grant sysadmin, or move a unit out of their subtree.
    const escalate = await countyAdmin.request('POST', '/admin/users', {
      username: 'lx_root',
      displayName: '越权',
      unitId: units.lx!.id,
      roles: ['sysadmin'],
    })
    expect(escalate.status).toBe(403)
    expect(
      (
        await countyAdmin.request('POST', `/admin/units/${units['lx-ban']!.id}/move`, {
          parentId: units.ls!.id,
        })
      ).status,
    ).toBe(403)
    const listed = await countyAdmin.request<{ accounts: { username: string }[] }>(
      'GET',
      '/admin/users',
    )
    expect(listed.body.accounts.map((a) => a.username).sort()).toEqual(['lx_admin', 'lx_clerk'])
  })
})

describe('bulk import', () => {
  test('1,000 rows with 20 invalid: each error has its row and reason, the 980 others are created', async () => {
    const lines = ['用户名,姓名,单位代码,职务,角色,手机']
    const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴']
    const given = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇']
    const badRows = new Set<number>()
    for (let i = 0; i < 1000; i++) {
      const rowNumber = i + 2
      let username = `imp${i}`
      let unitCode = i % 2 === 0 ? 'lx' : 'sz'
      let phone = `1380000${String(i).padStart(4, '0')}`
      let name = `${surnames[i % 10]}${given[Math.floor(i / 10) % 10]}`
      if (i % 50 === 7) {
        // 20 bad rows, 4 kinds of mistake
        badRows.add(rowNumber)
        const kind = ((i / 50) % 4) | 0
        if (kind === 0) unitCode = 'nowhere'
        if (kind === 1) username = 'bad name!'
        if (kind === 2) phone = 'call me'
        if (kind === 3) name = ''
      }
      lines.push([username, name, unitCode, '科员', '拟稿人', phone].join(','))
    }
    const response = await fetch(`${relay.url}/api/v1/admin/imports?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
      body: lines.join('\n'),
    })
    expect(response.status).toBe(200)
    const result = (await response.json()) as {
      id: string
      total: number
      valid: number
      errors: { row: number; reason: string }[]
    }
    expect(result.total).toBe(1000)
    expect(result.valid).toBe(980)
    expect(new Set(result.errors.map((e) => e.row))).toEqual(badRows)
    expect(result.errors.every((e) => e.reason.length > 0)).toBe(true)
    expect(result.errors.find((e) => e.row === 9)?.reason).toContain('单位代码不存在')

    // Nothing is created before the commit.
    expect((await admin.request<{ total: number }>('GET', '/admin/users?q=imp1')).body.total).toBe(
      0,
    )
    const report = await fetch(`${relay.url}/api/v1/admin/imports/${result.id}/errors.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    })
    expect((await report.text()).split('\r\n').filter((l) => l !== '')).toHaveLength(21)

    expect((await admin.request('POST', `/admin/imports/${result.id}/commit`)).status).toBe(202)
    await waitFor(() => false, 'never', 0).catch(() => undefined)
    let status = { status: 'running', done: 0, total: 0 }
    const deadline = Date.now() + 20_000
    while (status.status === 'running' && Date.now() < deadline) {
      status = (await admin.request<typeof status>('GET', `/admin/imports/${result.id}`)).body
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(status).toMatchObject({ status: 'done', done: 980, total: 980 })
    expect(
      (await admin.request<{ total: number }>('GET', '/admin/users?q=imp&limit=1')).body.total,
    ).toBe(980)

    // The codes are handed out once; a new user logs in with theirs and must set a password.
    const codes = await fetch(`${relay.url}/api/v1/admin/imports/${result.id}/codes.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    })
    const rows = (await codes.text())
      .replace(/^\ufeff/, '')
      .split('\r\n')
      .filter((l) => l !== '')
    expect(rows).toHaveLength(981)
    const [username, , code] = rows[1]!.split(',').map((c) => c.replace(/^"|"$/g, ''))
    const again = await fetch(`${relay.url}/api/v1/admin/imports/${result.id}/codes.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    })
    expect(again.status).toBe(409)
    const newcomer = await new ApiClient(relay.url).login(username!, code!)
    const me = await newcomer.api.request<{ user: { mustChangePassword: boolean } }>(
      'GET',
      '/auth/me',
    )
    expect(me.body.user.mustChangePassword).toBe(true)
    // Until the password is set, that session may do nothing else (issue 17, finding 8).
    expect(
      (
        await newcomer.api.request('POST', '/auth/password', {
          oldPassword: code,
          newPassword: 'Shandong#2026',
        })
      ).status,
    ).toBe(204)

    // Found in the directory by pinyin initials and by full pinyin.
    const byInitials = await newcomer.api.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=zw',
    )
    expect(byInitials.body.entries.length).toBeGreaterThan(0)
    expect(byInitials.body.entries.every((e) => e.initials.startsWith('zw'))).toBe(true)
    expect(byInitials.body.entries[0]!.displayName).toBe('张伟')
    const byPinyin = await newcomer.api.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=zhangwei',
    )
    expect(byPinyin.body.entries.map((e) => e.displayName)).toContain('张伟')
    const byUnit = await newcomer.api.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=历下区&limit=200',
    )
    expect(byUnit.body.entries.length).toBe(200)
  })

  test('the directory finds a new account at once, by any part of the name and by initials, and forgets a deactivated one', async () => {
    const searcher = await admin.createUser('dirsearcher', '查询员')
    const search = async (q: string): Promise<string[]> =>
      (
        await searcher.api.request<{ entries: DirectoryEntry[] }>(
          'GET',
          `/directory/search?q=${encodeURIComponent(q)}`,
        )
      ).body.entries.map((e) => e.username)
    expect(await search('欧阳')).toEqual([])
    const created = await admin.request<{ id: string }>('POST', '/admin/users', {
      username: 'ouyang',
      displayName: '欧阳明远',
      password: USER_PASSWORD,
    })
    expect(created.status).toBe(201)
    expect(await search('欧阳')).toEqual(['ouyang'])
    expect(await search('明远')).toEqual(['ouyang'])
    expect(await search('oymy')).toEqual(['ouyang'])
    await admin.request('POST', `/admin/users/${created.body.id}/deactivate`, {})
    expect(await search('欧阳')).toEqual([])
  })

  test('a bad file is refused with a clear message and nothing is created', async () => {
    const response = await fetch(`${relay.url}/api/v1/admin/imports?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
      body: 'foo,bar\n1,2\n',
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      '缺少必需的列',
    )
  })
})

describe('accounts', () => {
  test('deactivating a user closes their sockets within a second and hands their documents to the successor', async () => {
    const leaving = await admin.createUser('leaving', '调离者')
    const successor = await admin.createUser('successor', '接替者')
    const id = await leaving.api.createDocument('交接文档')
    const client = connect(relay.wsUrl, `doc:${id}`, leaving.token)
    await synced(client)
    const started = Date.now()
    const result = await admin.request<{ transferred: number }>(
      'POST',
      `/admin/users/${leaving.userId}/deactivate`,
      {
        successorId: successor.userId,
      },
    )
    expect(result.status).toBe(200)
    expect(result.body.transferred).toBe(1)
    await waitFor(
      () => client.closeCodes.includes(CloseEvents.deactivated.code),
      'socket closed',
      1000,
    )
    expect(Date.now() - started).toBeLessThan(1000)
    client.destroy()
    const docs = await successor.api.request<{ documents: { id: string; role: string }[] }>(
      'GET',
      '/documents',
    )
    expect(docs.body.documents).toEqual([expect.objectContaining({ id, role: 'owner' })])
    expect((await admin.request('POST', `/admin/users/${leaving.userId}/reactivate`)).status).toBe(
      200,
    )
    await new ApiClient(relay.url).login('leaving', USER_PASSWORD)
  })

  test('a user lists their sessions and revokes another one, whose sockets close', async () => {
    const first = await admin.createUser('multi', '多端')
    const second = await new ApiClient(relay.url).login('multi', USER_PASSWORD)
    const list = await first.api.request<{ sessions: { id: string; current: boolean }[] }>(
      'GET',
      '/auth/sessions',
    )
    expect(list.body.sessions).toHaveLength(2)
    const other = list.body.sessions.find((s) => !s.current)!
    expect((await first.api.request('DELETE', `/auth/sessions/${other.id}`)).status).toBe(204)
    expect((await second.api.request('GET', '/auth/me')).status).toBe(401)
    expect((await first.api.request('GET', '/auth/me')).status).toBe(200)
  })

  test('a password reset issues a new activation code and ends the sessions', async () => {
    const user = await admin.createUser('forgetful', '健忘')
    const reset = await admin.request<{ activationCode: string }>(
      'POST',
      `/admin/users/${user.userId}/reset-password`,
    )
    expect(reset.status).toBe(200)
    expect((await user.api.request('GET', '/auth/me')).status).toBe(401)
    expect(
      (
        await new ApiClient(relay.url).request('POST', '/auth/login', {
          username: 'forgetful',
          password: USER_PASSWORD,
        })
      ).status,
    ).toBe(401)
    await new ApiClient(relay.url).login('forgetful', reset.body.activationCode)
  })
})

describe('the audit log', () => {
  test('records logins, failures and provisioning, verifies, and exports CSV with formulas neutralised', async () => {
    await new ApiClient(relay.url).request('POST', '/auth/login', {
      username: '=HYPERLINK("x")',
      password: 'x',
    })
    expect((await auditEntries('auth.login_failed')).length).toBeGreaterThan(0)
    expect((await auditEntries('auth.login')).length).toBeGreaterThan(0)
    expect((await auditEntries('user.create')).length).toBeGreaterThan(0)
    const verify = await admin.request<{ ok: boolean; checked: number }>(
      'GET',
      '/admin/audit/verify',
    )
    expect(verify.body.ok).toBe(true)
    expect(verify.body.checked).toBeGreaterThan(10)
    const csv = await (
      await fetch(`${relay.url}/api/v1/admin/audit.csv?action=auth.login_failed`, {
        headers: { authorization: `Bearer ${admin.token}` },
      })
    ).text()
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`)
    expect(csv).not.toMatch(/(^|,)"=/m)
  })

  test('only system admins read it', async () => {
    const plain = await admin.createUser('nosy', '好奇')
    expect((await plain.api.request('GET', '/admin/audit')).status).toBe(403)
  })
})
