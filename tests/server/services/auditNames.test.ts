/**
 * The audit viewer's query on SQLite and PostgreSQL: entries come with the names of the people,
 * units and documents they refer to by id (so the viewer writes sentences), and filter by the unit
 * of the person who acted (the unit and every unit below it).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  adminClient,
  createTestDatabase,
  startTestRelay,
  USER_PASSWORD,
  ApiClient,
} from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import type { ApiAuditEntry } from '../../../shared/api'

type AuditPage = { entries: ApiAuditEntry[]; total: number; names?: Record<string, string> }

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`audit entries with names, by unit (${dialect})`, () => {
    let relay: TestRelay
    let database: TestDatabase | null = null
    let admin: ApiClient

    beforeAll(async () => {
      database = dialect === 'postgres' ? await createTestDatabase() : null
      relay = await startTestRelay({ databaseUrl: database?.url ?? null })
      admin = await adminClient(relay)
    })

    afterAll(async () => {
      await relay.close()
      await database?.drop()
    })

    async function unit(
      parentId: string | null,
      kind: string,
      name: string,
      code: string,
    ): Promise<string> {
      const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
        parentId,
        kind,
        name,
        code,
      })
      expect(status).toBe(201)
      return body.id
    }

    async function person(username: string, displayName: string, unitId: string) {
      const created = await admin.request('POST', '/admin/users', {
        username,
        displayName,
        unitId,
        password: USER_PASSWORD,
      })
      expect(created.status).toBe(201)
      return new ApiClient(relay.url).login(username, USER_PASSWORD)
    }

    test('names of targets and members, and the unit filter reaching the subtree only', async () => {
      const province = await unit(null, 'province', '山东省', 'sd')
      const city = await unit(province, 'city', '济南市', 'jn')
      const dept = await unit(city, 'department', '济南市办公厅', 'jnbgt')
      const other = await unit(province, 'city', '青岛市', 'qd')
      const wang = await person('wangfang', '王芳', dept)
      const li = await person('liqiang', '李强', other)
      const id = await wang.api.createDocument('关于做好防汛工作的通知')
      await wang.api.share(id, li.userId, 'editor')
      await li.api.createDocument('青岛的文档')

      const page = await admin.request<AuditPage>('GET', `/admin/audit?unitId=${city}&limit=100`)
      expect(page.status).toBe(200)
      const actors = new Set(page.body.entries.map((e) => e.actorName))
      expect(actors).toEqual(new Set(['王芳']))
      const share = page.body.entries.find((e) => e.action === 'acl.member_set')
      expect(share?.target).toBe(id)
      expect(page.body.names?.[id]).toBe('关于做好防汛工作的通知')
      expect(page.body.names?.[li.userId]).toBe('李强')

      const qingdao = await admin.request<AuditPage>(
        'GET',
        `/admin/audit?unitId=${other}&limit=100`,
      )
      expect(new Set(qingdao.body.entries.map((e) => e.actorName))).toEqual(new Set(['李强']))
      const nowhere = await admin.request<AuditPage>('GET', '/admin/audit?unitId=no-such-unit')
      expect(nowhere.body.entries).toEqual([])
      expect(nowhere.body.total).toBe(0)
    })
  })
}
