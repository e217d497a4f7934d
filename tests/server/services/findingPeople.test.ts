/**
 * Finding people. The people pickers (GET /users: members, mentions, attendees) find by pinyin and
 * initials as the 通讯录 does, and show each person's unit and post. 通讯录 by phone number: a query of digits (the last 4, or any part written with separators) finds
 * the accounts whose number the searcher may see — and never reveals whose a hidden number is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiClient, USER_PASSWORD, adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import type { DirectoryEntry } from '../../../shared/api'

let relay: TestRelay
let admin: ApiClient
const unitIds: Record<string, string> = {}

async function unit(code: string, parent: string | null, kind: string, name: string) {
  const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
    parentId: parent === null ? null : unitIds[parent],
    kind,
    name,
    code,
  })
  expect(status, JSON.stringify(body)).toBe(201)
  unitIds[code] = body.id
}

async function account(
  username: string,
  displayName: string,
  unitCode: string,
  phone: string,
  phoneVisibility: 'public' | 'unit' | 'hidden',
  title = '科员',
): Promise<void> {
  const created = await admin.request<{ id: string }>('POST', '/admin/users', {
    username,
    displayName,
    password: USER_PASSWORD,
    unitId: unitIds[unitCode],
    phone,
    posts: [{ unitId: unitIds[unitCode], title }],
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const set = await admin.request('PATCH', `/admin/users/${created.body.id}`, { phoneVisibility })
  expect(set.status).toBe(200)
}

beforeAll(async () => {
  relay = await startTestRelay()
  admin = await adminClient(relay)
  await unit('sd', null, 'province', '山东省')
  await unit('jn', 'sd', 'city', '济南市')
  await unit('jn-ban', 'jn', 'department', '市政府办公厅')
  await unit('qd', 'sd', 'city', '青岛市')
  await account('zhang.wei', '张伟', 'jn-ban', '138-0531-4721', 'unit', '副主任')
  await account('zhou.wen', '周文', 'qd', '13811112222', 'unit', '处长')
  await account('li.na', '李娜', 'jn-ban', '13905314721', 'hidden')
  await account('wang.fang', '王芳', 'qd', '0532 8866 4721', 'public')
  await account('zhao.min', '赵敏', 'qd', '13700009999', 'unit')
})

afterAll(async () => {
  await relay.close()
})

async function searchAs(username: string, q: string): Promise<DirectoryEntry[]> {
  const { api } = await new ApiClient(relay.url).login(username, USER_PASSWORD)
  const { status, body } = await api.request<{ entries: DirectoryEntry[] }>(
    'GET',
    `/directory/search?q=${encodeURIComponent(q)}`,
  )
  expect(status).toBe(200)
  return body.entries
}

describe('the people pickers', () => {
  test('find 张伟 by "zw" and by "zhangwei", with unit and post; a part of a username still finds', async () => {
    const { api } = await new ApiClient(relay.url).login('li.na', USER_PASSWORD)
    const pick = async (q: string) =>
      (
        await api.request<{
          users: { username: string; unitName?: string | null; post?: string | null }[]
        }>('GET', `/users?q=${encodeURIComponent(q)}`)
      ).body.users
    const byInitials = await pick('zw')
    expect(byInitials.map((u) => u.username)).toEqual(['zhang.wei', 'zhou.wen'])
    expect(byInitials[0]).toMatchObject({ unitName: '市政府办公厅', post: '副主任' })
    expect(byInitials[1]).toMatchObject({ unitName: '青岛市', post: '处长' })
    expect((await pick('zhangwei')).map((u) => u.username)).toEqual(['zhang.wei'])
    expect((await pick('办公厅')).map((u) => u.username).sort()).toEqual(['li.na', 'zhang.wei'])
    expect((await pick('.wei')).map((u) => u.username)).toEqual(['zhang.wei'])
  })
})

describe('通讯录 by phone number', () => {
  test('a colleague finds a person by the last 4 digits of their phone; a hidden number is never matched', async () => {
    const found = await searchAs('zhao.min', '4721')
    // 赵敏 (青岛) sees 王芳's public number, not 张伟's unit-only one nor 李娜's hidden one.
    expect(found.map((e) => e.displayName)).toEqual(['王芳'])
    expect(found[0]?.phone).toBe('0532 8866 4721')

    // A colleague in 张伟's unit finds him (and 王芳), but not 李娜, whose number is hidden.
    const colleague = await searchAs('li.na', '4721')
    expect(colleague.map((e) => e.displayName).sort()).toEqual(['张伟', '王芳'].sort())
    expect(colleague.find((e) => e.displayName === '张伟')?.phone).toBe('138-0531-4721')

    // Written with separators, or a longer part of the number.
    expect((await searchAs('li.na', '0531-4721')).map((e) => e.displayName)).toEqual(['张伟'])
    expect((await searchAs('li.na', '8866 4721')).map((e) => e.displayName)).toEqual(['王芳'])
    // Two digits are too few to look in numbers.
    expect(await searchAs('li.na', '21')).toEqual([])
  })

  test('the administrator who manages an account finds it by its hidden number', async () => {
    const { status, body } = await admin.request<{ entries: DirectoryEntry[] }>(
      'GET',
      '/directory/search?q=1390531',
    )
    expect(status).toBe(200)
    expect(body.entries.map((e) => e.displayName)).toEqual(['李娜'])
  })
})
