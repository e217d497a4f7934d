/**
 * Each command writes its rows and its audit entry in one transaction: when a later write of the
 * command fails (here a trigger makes the database refuse it), nothing of it stays behind, and the
 * same command can simply be tried again. On SQLite and PostgreSQL, through the real HTTP API.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay, ApiClient } from '../../utils/relay'
import type { ApiAuditEntry, ApiUnit } from '../../../shared/api'

/** A title of a post the database refuses, and an audit action it refuses to record. */
const REFUSED_TITLE = '拒绝写入'
const REFUSED_ACTION = 'acl.member_set'

interface Backend {
  readonly name: string
  start(): Promise<{ relay: TestRelay; refuse: () => Promise<void>; stop: () => Promise<void> }>
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async start() {
      const relay = await startTestRelay()
      return {
        relay,
        async refuse() {
          const db = new BetterSqlite3(path.join(relay.dataDir, 'qilu.sqlite'))
          try {
            db.exec(`
              CREATE TRIGGER refuse_post BEFORE INSERT ON posts
              WHEN NEW.title = '${REFUSED_TITLE}'
              BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
              CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
              WHEN NEW.action = '${REFUSED_ACTION}'
              BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`)
          } finally {
            db.close()
          }
        },
        stop: () => relay.close(),
      }
    },
  },
  {
    name: 'PostgreSQL',
    async start() {
      const database: TestDatabase = await createTestDatabase()
      const relay = await startTestRelay({ databaseUrl: database.url })
      return {
        relay,
        async refuse() {
          const client = new pg.Client({ connectionString: database.url })
          await client.connect()
          try {
            await client.query(`
              CREATE FUNCTION refuse_by_test() RETURNS trigger AS $$
              BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql;
              CREATE TRIGGER refuse_post BEFORE INSERT ON posts FOR EACH ROW
              WHEN (NEW.title = '${REFUSED_TITLE}') EXECUTE FUNCTION refuse_by_test();
              CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
              WHEN (NEW.action = '${REFUSED_ACTION}') EXECUTE FUNCTION refuse_by_test();`)
          } finally {
            await client.end()
          }
        },
        async stop() {
          await relay.close()
          await database.drop()
        },
      }
    },
  },
]

describe.each(backends)('commands on $name', (backend) => {
  let relay: TestRelay
  let admin: ApiClient
  let stop: () => Promise<void>
  let unit: ApiUnit

  async function audited(action: string, target: string): Promise<ApiAuditEntry[]> {
    const { body } = await admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      `/admin/audit?action=${action}`,
    )
    return body.entries.filter(
      (entry) => entry.target === target || entry.detail.username === target,
    )
  }

  beforeAll(async () => {
    const started = await backend.start()
    relay = started.relay
    stop = started.stop
    await started.refuse()
    admin = await adminClient(relay)
    const created = await admin.request<ApiUnit>('POST', '/admin/units', {
      parentId: null,
      kind: 'province',
      name: '山东省',
      code: 'sd',
    })
    unit = created.body
  })

  afterAll(async () => {
    await stop()
  })

  test('an account whose post cannot be written is not created, and creating it again works', async () => {
    const failed = await admin.request('POST', '/admin/users', {
      username: 'zhaolei',
      displayName: '赵磊',
      unitId: unit.id,
      posts: [{ unitId: unit.id, title: REFUSED_TITLE }],
    })
    expect(failed.status).toBe(500)
    expect(await relay.storage.users.byUsername('zhaolei')).toBeNull()
    const accounts = await admin.request<{ accounts: { username: string }[] }>(
      'GET',
      '/admin/users',
    )
    expect(accounts.body.accounts.map((a) => a.username)).not.toContain('zhaolei')
    expect((await audited('user.create', 'zhaolei')).length).toBe(0)

    const again = await admin.request<{ id: string }>('POST', '/admin/users', {
      username: 'zhaolei',
      displayName: '赵磊',
      unitId: unit.id,
      posts: [{ unitId: unit.id, title: '科员' }],
    })
    expect(again.status).toBe(201)
    expect((await audited('user.create', again.body.id)).length).toBe(1)
  })

  test('a share whose audit entry cannot be written does not take effect', async () => {
    const owner = await admin.createUser('wangfang', '王芳')
    const other = await admin.createUser('liuyang', '刘洋')
    const documentId = await owner.api.createDocument('关于春季防火的通知')
    const shared = await owner.api.request(
      'PUT',
      `/documents/${documentId}/members/${other.userId}`,
      {
        role: 'editor',
      },
    )
    expect(shared.status).toBe(500)
    expect(await relay.storage.documents.memberRole(documentId, other.userId)).toBeNull()
    const opened = await other.api.request('GET', `/documents/${documentId}`)
    expect(opened.status).toBe(403)
  })
})
