/**
 * The ApprovalSetup ports (server/approvals/ports.ts) as the approvals service sees them, over a
 * storage of either dialect with a clock the test moves: a delegation is handed over while in
 * force and no longer once ended or revoked; a device is found revoked or not, with its times; the
 * catalog answers built-ins and admins' definitions and nothing for prototype names; 机关代字 are
 * inherited down the unit chain, nearest first.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../../server/storage/database'
import type { OpenDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import type { UnitRow } from '../../../server/storage/OrgStore'
import { AuditService } from '../../../server/audit/AuditService'
import { createLogger } from '../../../server/logger'
import { approvalSetupStores, createApprovalSetup } from '../../../server/approvalSetup'
import type { UnitOfWork } from '../../../server/storage/Storage'
import type { ApprovalSetupModule } from '../../../server/approvalSetup'
import type { RequestActor } from '../../../server/services/actor'
import { generateSm2KeyPair, isSm2PublicKey } from '../../../shared/crypto/sm2'
import { delegationCovers } from '../../../shared/approvals'
import { TEST_AUDIT_KEY, createTestDatabase } from '../../utils/relay'

const T0 = Date.parse('2026-12-07T02:00:00.000Z')
const HOUR = 3_600_000

const backends = [
  {
    name: 'SQLite',
    open: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-ports-'))
      return {
        opened: openDatabase({ dataDir, databaseUrl: null }),
        cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      }
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database = await createTestDatabase()
      return {
        opened: openDatabase({ dataDir: '', databaseUrl: database.url }),
        cleanup: () => database.drop(),
      }
    },
  },
]

function actor(userId: string, roles: RequestActor['subject']['roles'] = []): RequestActor {
  return {
    userId,
    subject: { roles, unitId: null },
    event: { actor: { id: userId, name: userId }, ip: null },
  }
}

function unit(id: string, parent: UnitRow | null): UnitRow {
  return {
    id,
    parent_id: parent?.id ?? null,
    kind: parent === null ? 'province' : 'department',
    name: id,
    code: id,
    sort_order: 0,
    path: `${parent?.path ?? '/'}${id}/`,
    created_at: T0,
  }
}

describe.each(backends)('the ApprovalSetup ports on $name', ({ open }) => {
  let opened: OpenDatabase
  let storage: KyselyStorage
  let cleanup: () => Promise<void>
  let setup: ApprovalSetupModule
  let now = T0

  beforeAll(async () => {
    ;({ opened, cleanup } = await open())
    storage = new KyselyStorage(opened)
    await storage.migrate()
    const audit = new AuditService(storage.audit, createLogger({ quiet: true }), {
      key: Buffer.from(TEST_AUDIT_KEY, 'hex'),
    })
    await audit.open()
    storage.useAuditChain(audit)
    for (const id of ['leader', 'deputy', 'other']) {
      await storage.users.insert({
        id,
        username: id,
        display_name: id,
        password_hash: null,
        activation_hash: null,
        must_change_password: 0,
        roles: '[]',
        unit_id: null,
        active: 1,
        failed_logins: 0,
        locked_until: null,
        created_at: T0,
        phone: null,
        pinyin: null,
        initials: null,
        phone_visibility: null,
        deactivated_at: null,
      })
    }
    const root = unit('root', null)
    const office = unit('office', root)
    const section = unit('section', office)
    for (const row of [root, office, section]) {
      await storage.org.insertUnit(row)
    }
    setup = createApprovalSetup({ storage, db: opened.db, audit, now: () => now })
  })

  afterAll(async () => {
    await storage.close()
    await cleanup()
  })

  test('a delegation is handed over from its creation until it ends, and not once revoked', async () => {
    now = T0
    const { id } = await setup.services.delegations.create(actor('leader'), {
      toUserId: 'deputy',
      scope: 'signoff',
      until: new Date(T0 + 2 * HOUR).toISOString(),
    })
    const given = await setup.delegations.givenTo('deputy')
    expect(given).toEqual([
      {
        from: 'leader',
        to: 'deputy',
        scope: 'signoff',
        until: '2026-12-07T04:00:00.000Z',
        since: '2026-12-07T02:00:00.000Z',
      },
    ])
    // What the engine then decides with it: 签发 for the leader, not 审批.
    const at = new Date(T0 + HOUR).toISOString()
    expect(
      delegationCovers(given, { leader: 'leader', deputy: 'deputy', type: 'signoff', at }),
    ).toBe(true)
    expect(
      delegationCovers(given, { leader: 'leader', deputy: 'deputy', type: 'approve', at }),
    ).toBe(false)
    expect(await setup.delegations.givenTo('leader')).toEqual([])
    expect(await setup.delegations.givenTo('other')).toEqual([])

    now = T0 + 2 * HOUR
    expect(await setup.delegations.givenTo('deputy')).toEqual([])

    now = T0 + 3 * HOUR
    const second = await setup.services.delegations.create(actor('leader'), {
      toUserId: 'deputy',
      scope: 'all',
      until: new Date(T0 + 10 * HOUR).toISOString(),
    })
    expect((await setup.delegations.givenTo('deputy')).map((d) => d.scope)).toEqual(['all'])
    await setup.services.delegations.revoke(actor('leader'), second.id)
    expect(await setup.delegations.givenTo('deputy')).toEqual([])
    expect(id).not.toBe(second.id)
  })

  test('a device is found with its owner, key and times; revoked it keeps its revocation time', async () => {
    now = T0 + 5 * HOUR
    const pair = generateSm2KeyPair()
    const { id } = await setup.services.devices.register(actor('other'), {
      publicKey: pair.publicKey,
      label: '手机',
    })
    expect(await setup.devices.device(id)).toEqual({
      id,
      userId: 'other',
      label: '手机',
      publicKey: pair.publicKey,
      createdAt: T0 + 5 * HOUR,
      revokedAt: null,
    })
    now = T0 + 6 * HOUR
    await setup.services.devices.revoke(actor('other'), id)
    now = T0 + 7 * HOUR
    await setup.services.devices.revoke(actor('other'), id)
    expect((await setup.devices.device(id))?.revokedAt).toBe(T0 + 6 * HOUR)
    expect(await setup.devices.device('unknown')).toBeNull()
  })

  test('the catalog answers built-ins and saved definitions, and nothing for names it does not hold', async () => {
    expect((await setup.catalog.flow('gongwen-outgoing'))?.stages.map((s) => s.id)).toContain(
      'signoff',
    )
    expect((await setup.catalog.form('leave'))?.flowId).toBe('leave')
    for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'none']) {
      expect(await setup.catalog.flow(id), id).toBeNull()
      expect(await setup.catalog.form(id), id).toBeNull()
    }
    const flow = {
      id: 'mine',
      name: '我的流程',
      subjectType: 'document' as const,
      stages: [
        { id: 'check', name: '核稿', mode: 'sequential' as const, assignees: [{ user: 'leader' }] },
      ],
    }
    await setup.services.catalog.saveFlow(actor('leader', ['sysadmin']), 'mine', flow)
    expect(await setup.catalog.flow('mine')).toEqual(flow)
  })

  test('a unit without a 机关代字 uses its nearest ancestor’s', async () => {
    const sysadmin = actor('leader', ['sysadmin'])
    expect(await setup.agencyCodes.agencyCodeOf('section')).toBeNull()
    await setup.services.agencyCodes.set(sysadmin, 'root', '鲁政发')
    expect(await setup.agencyCodes.agencyCodeOf('section')).toBe('鲁政发')
    await setup.services.agencyCodes.set(sysadmin, 'office', '鲁政办发')
    expect(await setup.agencyCodes.agencyCodeOf('section')).toBe('鲁政办发')
    expect(await setup.agencyCodes.agencyCodeOf('root')).toBe('鲁政发')
    await setup.services.agencyCodes.set(sysadmin, 'office', '鲁政办函')
    expect(await setup.agencyCodes.agencyCodeOf('office')).toBe('鲁政办函')
  })

  test('set-up stores join the unit of work, and cannot be bound once it has returned', async () => {
    let escaped: UnitOfWork | null = null
    await expect(
      storage.unitOfWork(async (uow) => {
        escaped = uow
        await uow.bind(approvalSetupStores).agencyCodes.put({
          unit_id: 'section',
          agency_code: '回滚发',
          updated_at: T0,
          updated_by: 'test',
        })
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await setup.agencyCodes.agencyCodeOf('section')).not.toBe('回滚发')
    expect(() => escaped?.bind(approvalSetupStores)).toThrow(/after the unit of work returned/)
  })

  test('a public key off the curve is not an SM2 key (and does not throw)', () => {
    expect(isSm2PublicKey(`04${'1'.repeat(128)}`)).toBe(false)
    expect(isSm2PublicKey(`04${'0'.repeat(128)}`)).toBe(false)
    expect(isSm2PublicKey(generateSm2KeyPair().publicKey)).toBe(true)
  })
})
