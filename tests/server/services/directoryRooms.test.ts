/** The read-only `directory:<unitId>` rooms follow the org tree: a renamed unit shows its new name. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ApiUnit, DirectoryEntry } from '../../../shared/api'
import { USER_PASSWORD, adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'

let relay: TestRelay
let admin: ApiClient

beforeAll(async () => {
  relay = await startTestRelay()
  admin = await adminClient(relay)
})

afterAll(async () => {
  await relay.close()
})

async function createUnit(
  parentId: string | null,
  kind: string,
  name: string,
  code: string,
): Promise<ApiUnit> {
  const { status, body } = await admin.request<ApiUnit>('POST', '/admin/units', {
    parentId,
    kind,
    name,
    code,
  })
  expect(status).toBe(201)
  return body
}

describe('directory rooms', () => {
  test('renaming a unit rewrites the unit name in the rooms of its members, 兼职 included', async () => {
    const sd = await createUnit(null, 'province', '山东省', 'sd')
    const jn = await createUnit(sd.id, 'city', '济南市', 'jn')
    const office = await createUnit(jn.id, 'department', '办公室', 'jn-ban')
    const created = await admin.request<{ id: string }>('POST', '/admin/users', {
      username: 'zhang.wei',
      displayName: '张伟',
      unitId: jn.id,
      password: USER_PASSWORD,
      posts: [
        { unitId: jn.id, title: '科员' },
        { unitId: office.id, title: '联络员' },
      ],
    })
    expect(created.status).toBe(201)

    const renamed = await admin.request('PATCH', `/admin/units/${office.id}`, {
      name: '市政府办公室',
    })
    expect(renamed.status).toBe(200)

    // The room of the city (where 张伟's primary post is) shows the new name of the office.
    const client = connect(relay.wsUrl, `directory:${jn.id}`, admin.token)
    await synced(client)
    const entry = () => client.doc.getMap<DirectoryEntry>('entries').get(created.body.id)
    await waitFor(
      () =>
        entry()?.posts.some((p) => p.unitId === office.id && p.unitName === '市政府办公室') ===
        true,
      'renamed office in the city room',
    )
    client.destroy()
  })
})
