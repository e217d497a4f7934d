import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  ApiClient,
  USER_PASSWORD,
  adminClient,
  createTestDatabase,
  startTestRelay,
} from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type {
  ApiUnit,
  DocumentSearchHit,
  DocumentSummary,
  DocumentUnitMember,
} from '../../../shared/api'

type Person = { api: ApiClient; userId: string; token: string }

const backends = [
  { name: 'SQLite', database: async (): Promise<TestDatabase | null> => null },
  { name: 'PostgreSQL', database: (): Promise<TestDatabase | null> => createTestDatabase() },
]

async function unit(
  admin: ApiClient,
  parentId: string | null,
  name: string,
  code: string,
): Promise<ApiUnit> {
  const { status, body } = await admin.request<ApiUnit>('POST', '/admin/units', {
    parentId,
    kind: parentId === null ? 'province' : 'department',
    name,
    code,
  })
  expect(status).toBe(201)
  return body
}

/** Creates an account posted in `unitId` (and optionally in further units as 兼职) and logs in. */
async function person(
  admin: ApiClient,
  username: string,
  displayName: string,
  unitId: string | null,
  extraPosts: string[] = [],
): Promise<Person> {
  const { status, body } = await admin.request('POST', '/admin/users', {
    username,
    displayName,
    password: USER_PASSWORD,
    ...(unitId === null ? {} : { unitId }),
    posts: extraPosts.map((id) => ({ unitId: id, title: '兼职' })),
  })
  expect(status, JSON.stringify(body)).toBe(201)
  return new ApiClient(admin.baseUrl).login(username, USER_PASSWORD)
}

async function roleOf(who: Person, documentId: string): Promise<string | number> {
  const { status, body } = await who.api.request<DocumentSummary>('GET', `/documents/${documentId}`)
  return status === 200 ? body.role : status
}

async function listed(who: Person, query = ''): Promise<DocumentSummary[]> {
  const { status, body } = await who.api.request<{ documents: DocumentSearchHit[] }>(
    'GET',
    `/documents${query}`,
  )
  expect(status).toBe(200)
  return body.documents
}

describe.each(backends)('document roles by unit on $name', ({ database: makeDatabase }) => {
  let database: TestDatabase | null
  let relay: TestRelay
  let admin: ApiClient
  let owner: Person
  /** Posted in 文电科, below 秘书处. */
  let clerk: Person
  /** Posted in 财政厅, with a 兼职 post in 秘书处. */
  let secondee: Person
  /** Posted in 财政厅 only. */
  let outsider: Person
  let office: ApiUnit
  let secretariat: ApiUnit
  let telegraph: ApiUnit
  let finance: ApiUnit
  const clients: Client[] = []

  beforeAll(async () => {
    database = await makeDatabase()
    relay = await startTestRelay({ databaseUrl: database?.url ?? null, searchDelayMs: 50 })
    admin = await adminClient(relay)
    office = await unit(admin, null, '山东省人民政府办公厅', 'sdbgt')
    secretariat = await unit(admin, office.id, '秘书处', 'msc')
    telegraph = await unit(admin, secretariat.id, '文电科', 'wdk')
    finance = await unit(admin, null, '山东省财政厅', 'sdczt')
    owner = await person(admin, 'drafter', '张三', office.id)
    clerk = await person(admin, 'clerk', '李四', telegraph.id)
    secondee = await person(admin, 'secondee', '王五', finance.id, [secretariat.id])
    outsider = await person(admin, 'outsider', '赵六', finance.id)
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    await relay.close()
    await database?.drop()
  })

  test('a unit role reaches every account posted in the unit or below it, and nobody else', async () => {
    const id = await owner.api.createDocument('关于做好汛期值班工作的通知')
    expect(await roleOf(clerk, id)).toBe(403)
    expect((await listed(clerk)).map((d) => d.id)).not.toContain(id)

    const granted = await owner.api.request<DocumentUnitMember>(
      'PUT',
      `/documents/${id}/unit-members/${secretariat.id}`,
      { role: 'commenter' },
    )
    expect(granted.status).toBe(200)
    expect(granted.body).toEqual({
      unitId: secretariat.id,
      unitName: '秘书处',
      path: [office.id, secretariat.id],
      role: 'commenter',
    })
    const units = await clerk.api.request<{ unitMembers: DocumentUnitMember[] }>(
      'GET',
      `/documents/${id}/unit-members`,
    )
    expect(units.body.unitMembers.map((u) => [u.unitName, u.role])).toEqual([
      ['秘书处', 'commenter'],
    ])

    // 文电科 is below 秘书处; a 兼职 post in 秘书处 counts too; 财政厅 alone does not.
    expect(await roleOf(clerk, id)).toBe('commenter')
    expect(await roleOf(secondee, id)).toBe('commenter')
    expect(await roleOf(outsider, id)).toBe(403)
    expect(await roleOf(owner, id)).toBe('owner')

    // The list, the filters and the search include documents reached through a unit.
    expect((await listed(clerk)).find((d) => d.id === id)?.role).toBe('commenter')
    expect((await listed(clerk, '?filter=shared')).map((d) => d.id)).toContain(id)
    expect((await listed(clerk, '?filter=mine')).map((d) => d.id)).not.toContain(id)
    expect((await listed(clerk, `?q=${encodeURIComponent('汛期值班')}`)).map((d) => d.id)).toEqual([
      id,
    ])
    expect((await listed(outsider, `?q=${encodeURIComponent('汛期值班')}`)).length).toBe(0)

    // The room lets them in with the unit's role: a commenter may comment but not edit the body.
    const socket = connect(relay.wsUrl, `doc:${id}`, clerk.token)
    clients.push(socket)
    await synced(socket)
    const refused = connect(relay.wsUrl, `doc:${id}`, outsider.token)
    clients.push(refused)
    await waitFor(() => refused.closeCodes.includes(4403), 'the outsider is refused')
    refused.destroy()
    socket.doc.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')])
    await waitFor(() => socket.closeCodes.includes(4403), 'a commenter body edit is refused')
    socket.destroy()
  })

  test('the highest unit role applies, a personal role wins over any unit role', async () => {
    const id = await owner.api.createDocument('会议纪要')
    const put = (unitId: string, role: string): Promise<{ status: number }> =>
      owner.api.request('PUT', `/documents/${id}/unit-members/${unitId}`, { role })
    expect((await put(office.id, 'reader')).status).toBe(200)
    expect((await put(telegraph.id, 'editor')).status).toBe(200)
    expect((await put(secretariat.id, 'commenter')).status).toBe(200)
    expect(await roleOf(clerk, id)).toBe('editor')
    expect(await roleOf(secondee, id)).toBe('commenter')
    // Changing a unit's role replaces it.
    expect((await put(telegraph.id, 'reader')).status).toBe(200)
    expect(await roleOf(clerk, id)).toBe('commenter')

    // A personal reader role wins over the unit's commenter role; removing it restores the unit's.
    await owner.api.share(id, clerk.userId, 'reader')
    expect(await roleOf(clerk, id)).toBe('reader')
    expect((await listed(clerk)).find((d) => d.id === id)?.role).toBe('reader')
    expect(
      (await owner.api.request('DELETE', `/documents/${id}/members/${clerk.userId}`)).status,
    ).toBe(204)
    expect(await roleOf(clerk, id)).toBe('commenter')
    // Unit grants are not personal members.
    const members = await owner.api.request<{ members: { userId: string }[] }>(
      'GET',
      `/documents/${id}/members`,
    )
    expect(members.body.members.map((m) => m.userId)).toEqual([owner.userId])
  })

  test('only the owner manages unit roles; changes are audited and re-check open sockets', async () => {
    const id = await owner.api.createDocument('请示')
    await owner.api.share(id, outsider.userId, 'editor')
    // An editor is not a manager; an unknown unit and a bad role are refused.
    expect(
      (
        await outsider.api.request('PUT', `/documents/${id}/unit-members/${finance.id}`, {
          role: 'editor',
        })
      ).status,
    ).toBe(403)
    expect(
      (await owner.api.request('PUT', `/documents/${id}/unit-members/nope`, { role: 'editor' }))
        .status,
    ).toBe(404)
    expect(
      (
        await owner.api.request('PUT', `/documents/${id}/unit-members/${finance.id}`, {
          role: 'owner',
        })
      ).status,
    ).toBe(400)
    expect(
      (await owner.api.request('DELETE', `/documents/${id}/unit-members/${finance.id}`)).status,
    ).toBe(404)

    expect(
      (
        await owner.api.request('PUT', `/documents/${id}/unit-members/${secretariat.id}`, {
          role: 'reader',
        })
      ).status,
    ).toBe(200)
    const socket = connect(relay.wsUrl, `doc:${id}`, clerk.token)
    clients.push(socket)
    await synced(socket)
    expect(
      (await owner.api.request('DELETE', `/documents/${id}/unit-members/${secretariat.id}`)).status,
    ).toBe(204)
    // The open socket loses the room at once.
    await waitFor(
      () => socket.closeCodes.includes(4403),
      'the socket closes when the unit role goes',
      2000,
    )
    socket.destroy()
    expect(await roleOf(clerk, id)).toBe(403)

    const audit = await relay.audit.search({ action: 'acl.unit_member_set' }, 50, 0)
    expect(
      audit.rows.some(
        (r) => r.target === id && r.actor_id === owner.userId && r.detail.includes(secretariat.id),
      ),
    ).toBe(true)
    const removed = await relay.audit.search({ action: 'acl.unit_member_removed' }, 50, 0)
    expect(removed.rows.some((r) => r.target === id)).toBe(true)
  })

  test('a deactivated account keeps no unit role', async () => {
    const id = await owner.api.createDocument('函')
    const leaver = await person(admin, 'leaver', '钱七', telegraph.id)
    await owner.api.request('PUT', `/documents/${id}/unit-members/${office.id}`, { role: 'reader' })
    expect(await roleOf(leaver, id)).toBe('reader')
    expect(
      (await admin.request('POST', `/admin/users/${leaver.userId}/deactivate`, {})).status,
    ).toBe(200)
    const relogin = await new ApiClient(relay.url).request('POST', '/auth/login', {
      username: 'leaver',
      password: USER_PASSWORD,
    })
    expect(relogin.status).not.toBe(200)
    // The storage rule itself, below the session check.
    expect(await relay.storage.documents.memberRole(id, leaver.userId)).toBeNull()
  })
})
