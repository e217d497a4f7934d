/**
 * A unit of work runs a command's writes and its audit entries in one transaction: a command that
 * fails half-way leaves neither its changes nor its audit rows, and the keyed chain stays whole
 * while commands and plain audit records interleave. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import type { UserRow } from '../../../server/storage/users/UserStore'
import { AuditService } from '../../../server/audit/AuditService'
import { createLogger } from '../../../server/logger'
import { DomainError } from '../../../server/domain/errors'
import { TEST_AUDIT_KEY, createTestDatabase } from '../../utils/relay'

const backends: {
  name: string
  open: () => Promise<{ storage: KyselyStorage; cleanup: () => Promise<void> }>
}[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-uow-'))
      const storage = new KyselyStorage(openDatabase({ dataDir, databaseUrl: null }))
      return { storage, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await createTestDatabase()
      const storage = new KyselyStorage(openDatabase({ dataDir: '', databaseUrl: database.url }))
      return { storage, cleanup: () => database.drop() }
    },
  },
]

function user(id: string, username: string): UserRow {
  return {
    id,
    username,
    display_name: username,
    password_hash: null,
    activation_hash: null,
    must_change_password: 0,
    roles: '["drafter"]',
    unit_id: null,
    active: 1,
    failed_logins: 0,
    locked_until: null,
    created_at: 1_700_000_000_000,
    phone: null,
    pinyin: null,
    initials: null,
    phone_visibility: null,
    deactivated_at: null,
  }
}

const admin = { id: 'admin', name: '系统管理员' }

describe.each(backends)('a unit of work on $name', ({ open }) => {
  let storage: KyselyStorage
  let audit: AuditService
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ storage, cleanup } = await open())
    await storage.migrate()
    audit = new AuditService(storage.audit, createLogger({ quiet: true }), {
      key: Buffer.from(TEST_AUDIT_KEY, 'hex'),
    })
    await audit.open()
    storage.useAuditChain(audit)
    await storage.org.insertUnit({
      id: 'unit-1',
      parent_id: null,
      kind: 'province',
      name: '山东省',
      code: 'SD',
      sort_order: 0,
      path: '/unit-1/',
      created_at: 1_700_000_000_000,
    })
  })

  afterAll(async () => {
    await storage.close()
    await cleanup()
  })

  test('a command that fails after its first write leaves neither its change nor its audit row', async () => {
    const headBefore = await storage.audit.head()
    const failed = storage.unitOfWork(async (uow) => {
      await uow.users.insert(user('u-half', 'halfway'))
      uow.audit({ actor: admin, action: 'user.create', target: 'u-half' })
      await uow.org.setPosts('u-half', [
        {
          id: 'p-half',
          user_id: 'u-half',
          unit_id: 'unit-1',
          title: '科员',
          is_primary: 1,
          sort_order: 0,
        },
      ])
      throw new DomainError('conflict', '中途失败 (failed half-way)')
    })
    await expect(failed).rejects.toMatchObject({ code: 'conflict' })
    expect(await storage.users.byId('u-half')).toBeNull()
    expect(await storage.org.postsOfUsers(['u-half'])).toEqual([])
    expect((await storage.audit.head())?.seq).toBe(headBefore?.seq)
  })

  test('a write the database refuses rolls back the writes and audit rows before it', async () => {
    await storage.users.insert(user('u-taken', 'taken'))
    const headBefore = await storage.audit.head()
    const failed = storage.unitOfWork(async (uow) => {
      await uow.users.insert(user('u-first', 'first'))
      uow.audit({ actor: admin, action: 'user.create', target: 'u-first' })
      // The primary key refuses the second row: the first must go with it.
      await uow.users.insert(user('u-taken', 'taken-again'))
    })
    await expect(failed).rejects.toThrow()
    expect(await storage.users.byId('u-first')).toBeNull()
    expect((await storage.audit.head())?.seq).toBe(headBefore?.seq)
  })

  test('a command that succeeds commits its writes and its audit rows together', async () => {
    const headBefore = Number((await storage.audit.head())?.seq ?? 0)
    const appended: number[] = []
    audit.onAppended((seq) => appended.push(seq))
    const id = await storage.unitOfWork(async (uow) => {
      await uow.users.insert(user('u-done', 'done'))
      await uow.sessions.insert('token-hash-done', 'u-done', 1_700_000_000_000)
      uow.audit(
        { actor: admin, action: 'user.create', target: 'u-done' },
        { actor: admin, action: 'auth.login', target: 'u-done' },
      )
      return 'u-done'
    })
    expect(id).toBe('u-done')
    expect((await storage.users.byId('u-done'))?.username).toBe('done')
    expect((await storage.sessions.byTokenHash('token-hash-done'))?.user_id).toBe('u-done')
    const rows = await storage.audit.page(headBefore, 10)
    expect(rows.map((r) => [r.action, r.target])).toEqual([
      ['user.create', 'u-done'],
      ['auth.login', 'u-done'],
    ])
    // The checkpoint job hears of the rows once they are committed.
    expect(appended).toEqual([headBefore + 2])
  })

  test('units of work and plain audit records at once keep the keyed chain whole', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? audit.record({ actor: admin, action: 'test.plain', target: `p${i}` })
          : storage.unitOfWork(async (uow) => {
              await uow.users.insert(user(`u-many-${i}`, `many${i}`))
              uow.audit({ actor: admin, action: 'user.create', target: `u-many-${i}` })
              if (i % 4 === 1) {
                throw new Error('refused')
              }
            }),
      ).map((work) => work.catch(() => undefined)),
    )
    const report = await audit.verify()
    expect(report.problems).toEqual([])
    const created = (await storage.audit.page(0, 1000)).filter((r) => r.action === 'user.create')
    for (const row of created) {
      // Every audited creation exists, and no failed one was audited.
      expect(await storage.users.byId(row.target ?? '')).not.toBeNull()
    }
  })

  test('records arriving together share a commit, each call contiguous; one bad event fails only its call', async () => {
    const headBefore = Number((await storage.audit.head())?.seq ?? 0)
    const commits: number[] = []
    audit.onAppended((seq) => commits.push(seq))
    const calls = Array.from({ length: 60 }, (_, i) =>
      audit.record(
        { actor: admin, action: 'test.burst', target: `b${i}`, detail: { part: 1 } },
        { actor: admin, action: 'test.burst', target: `b${i}`, detail: { part: 2 } },
      ),
    )
    await Promise.all(calls)
    // Far fewer commits than calls: the burst waited for the first and went in together.
    expect(commits.filter((seq) => seq > headBefore).length).toBeLessThan(10)
    // A detail JSON cannot encode fails its own call, not the others of its commit.
    const others = Array.from({ length: 5 }, (_, i) =>
      audit.record({ actor: admin, action: 'test.burst', target: `c${i}` }),
    )
    const bad = audit.record({ actor: admin, action: 'test.bad', detail: { n: 1n } })
    await expect(bad).rejects.toThrow()
    await Promise.all(others)
    const rows = await storage.audit.page(headBefore, 1000)
    expect(rows).toHaveLength(60 * 2 + 5)
    expect(rows.some((row) => row.action === 'test.bad')).toBe(false)
    for (let i = 0; i < 60; i++) {
      const at = rows.findIndex((row) => row.target === `b${i}`)
      expect([rows[at]?.detail, rows[at + 1]?.detail, rows[at + 1]?.target]).toEqual([
        '{"part":1}',
        '{"part":2}',
        `b${i}`,
      ])
    }
    expect((await audit.verify()).problems).toEqual([])
  })

  test('audit() after the command returned is refused rather than lost', async () => {
    let late: (() => void) | null = null
    await storage.unitOfWork(async (uow) => {
      late = () => uow.audit({ actor: admin, action: 'test.late' })
    })
    expect(late).not.toBeNull()
    expect(() => late?.()).toThrow(/after the unit of work returned/)
  })
})
