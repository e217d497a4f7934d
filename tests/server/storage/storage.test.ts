import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { openDatabase } from '../../../server/storage/database'
import { KyselyStorage } from '../../../server/storage/Storage'
import type { Storage } from '../../../server/storage/Storage'
import { createTestDatabase } from '../../utils/relay'
import type { TestDatabase } from '../../utils/relay'

const backends: {
  name: string
  open: () => Promise<{ storage: Storage; cleanup: () => Promise<void> }>
}[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-store-'))
      const storage = new KyselyStorage(openDatabase({ dataDir, databaseUrl: null }))
      return { storage, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const database: TestDatabase = await createTestDatabase()
      const storage = new KyselyStorage(openDatabase({ dataDir: '', databaseUrl: database.url }))
      return { storage, cleanup: () => database.drop() }
    },
  },
]

function user(id: string, username: string, displayName: string) {
  return {
    id,
    username,
    display_name: displayName,
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

/** A document of u1's, made at 1 and changed at 2. */
function document(id: string, title: string) {
  return { id, title, owner_id: 'u1', created_at: 1, updated_at: 2 }
}

describe.each(backends)('storage on $name', ({ open }) => {
  let storage: Storage
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    ;({ storage, cleanup } = await open())
    await storage.migrate()
    // Migrations are idempotent: a second start finds nothing to do.
    await storage.migrate()
  })

  afterAll(async () => {
    await storage.close()
    await cleanup()
  })

  test('users are stored, found by name and searched by part of a name', async () => {
    await storage.users.insert(user('u1', 'zhangwei', '张伟'))
    await storage.users.insert(user('u2', 'lina', '李娜'))
    await storage.users.insert(user('u3', 'under_score', '下划线'))
    expect((await storage.users.byUsername('zhangwei'))?.display_name).toBe('张伟')
    expect(await storage.users.byUsername('nobody')).toBeNull()
    expect((await storage.searchUsers('张', 10)).map((u) => u.id)).toEqual(['u1'])
    // LIKE wildcards in the query are taken literally.
    expect((await storage.searchUsers('_', 10)).map((u) => u.id)).toEqual(['u3'])
    await storage.users.update('u2', { active: 0 })
    expect(await storage.searchUsers('lina', 10)).toEqual([])
    expect(await storage.users.count()).toBe(3)
  })

  test('sessions are stored by hash, touched and deleted per user', async () => {
    await storage.sessions.insert('h1', 'u1', 1000)
    await storage.sessions.insert('h2', 'u1', 1000)
    await storage.sessions.touch('h1', 5000)
    expect(await storage.sessions.byTokenHash('h1')).toEqual({ user_id: 'u1', last_seen_at: 5000 })
    expect((await storage.sessions.deleteOfUser('u1')).sort()).toEqual(['h1', 'h2'])
    expect(await storage.sessions.byTokenHash('h2')).toBeNull()
  })

  test('documents list with the caller role and owner name; members are upserted', async () => {
    await storage.documents.insert(document('d1', '通知'))
    await storage.documents.setMember('d1', 'u1', 'owner')
    await storage.documents.setMember('d1', 'u3', 'reader')
    await storage.documents.setMember('d1', 'u3', 'editor')
    const listed = await storage.documents.ofUser('u3')
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ id: 'd1', role: 'editor', owner_name: '张伟' })
    expect((await storage.documents.members('d1')).map((m) => `${m.username}:${m.role}`)).toEqual([
      'under_score:editor',
      'zhangwei:owner',
    ])
    await storage.documents.removeMember('d1', 'u3')
    expect(await storage.documents.memberRole('d1', 'u3')).toBeNull()
  })

  test("a document's lifecycle and a user's role are read together; 回收站 and missing documents", async () => {
    await storage.documents.insert(document('d2', '请示'))
    await storage.documents.setMember('d2', 'u1', 'owner')
    const open = { archivedAt: null, deletedAt: null }
    expect(await storage.documents.access('d2', 'u1')).toEqual({ ...open, memberRole: 'owner' })
    expect(await storage.documents.access('d2', 'u2')).toEqual({ ...open, memberRole: null })
    expect(await storage.documents.access('nope', 'u1')).toBeNull()
    await storage.documents.update('d2', { archived_at: 30 })
    expect(await storage.documents.access('d2', 'u1')).toEqual({
      archivedAt: 30,
      deletedAt: null,
      memberRole: 'owner',
    })
    await storage.documents.update('d2', { deleted_at: 40 })
    // In the 回收站 nobody holds a role, the owner included.
    expect(await storage.documents.access('d2', 'u1')).toEqual({
      archivedAt: 30,
      deletedAt: 40,
      memberRole: null,
    })
    expect(await storage.documents.memberRole('d2', 'u1')).toBeNull()
  })

  test('the update log appends, loads in order and compacts into a snapshot', async () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (const word of ['齐', '鲁', '办', '公']) {
      doc.getText('t').insert(doc.getText('t').length, word)
    }
    await storage.rooms.appendUpdates('doc:d1', updates.slice(0, 2), 10)
    const last = await storage.rooms.appendUpdates('doc:d1', updates.slice(2), 11)
    expect(await storage.rooms.countUpdates('doc:d1')).toBe(4)

    const replay = (stored: Awaited<ReturnType<Storage['rooms']['load']>>): string => {
      const copy = new Y.Doc()
      if (stored.snapshot !== null) {
        Y.applyUpdate(copy, stored.snapshot)
      }
      stored.updates.forEach((u) => Y.applyUpdate(copy, u))
      return copy.getText('t').toString()
    }
    const before = await storage.rooms.load('doc:d1')
    expect(before.lastUpdateId).toBe(last)
    expect(replay(before)).toBe('齐鲁办公')

    await storage.rooms.compact('doc:d1', Y.encodeStateAsUpdate(doc), last, 12)
    expect(await storage.rooms.countUpdates('doc:d1')).toBe(0)
    doc.getText('t').insert(4, '！')
    await storage.rooms.appendUpdates('doc:d1', [updates[updates.length - 1]!], 13)
    const after = await storage.rooms.load('doc:d1')
    expect(after.snapshot).not.toBeNull()
    expect(after.updates).toHaveLength(1)
    expect(replay(after)).toBe('齐鲁办公！')
    expect(Buffer.from(after.updates[0]!)).toEqual(Buffer.from(updates[updates.length - 1]!))
    expect((await storage.rooms.load('doc:empty')).lastUpdateId).toBe(0)
  })

  test('the room log writes a flush of several rooms at once, and compaction folds each room alone', async () => {
    const docs = ['doc:r1', 'doc:r2'].map((room) => ({ room, doc: new Y.Doc() }))
    const text = (update: Uint8Array | null, updates: readonly Uint8Array[]): string => {
      const copy = new Y.Doc()
      if (update !== null) {
        Y.applyUpdate(copy, update)
      }
      updates.forEach((u) => Y.applyUpdate(copy, u))
      return copy.getText('t').toString()
    }
    for (const word of ['公', '文', '流', '转']) {
      const entries = docs.map(({ room, doc }) => {
        const before = Y.encodeStateVector(doc)
        doc.getText('t').insert(doc.getText('t').length, `${word}${room.slice(-1)}`)
        return { room, update: Y.encodeStateAsUpdate(doc, before) }
      })
      await storage.roomLog.append(entries, 20)
    }
    const r1 = await storage.roomLog.load('doc:r1')
    expect(r1.updates).toHaveLength(4)
    expect(text(r1.snapshot, r1.updates)).toBe('公1文1流1转1')

    expect(await storage.roomLog.compact('doc:r1', 21)).toBe(4)
    expect(await storage.roomLog.compact('doc:r1', 22)).toBe(0)
    const folded = await storage.roomLog.load('doc:r1')
    expect(folded.updates).toHaveLength(0)
    expect(text(folded.snapshot, folded.updates)).toBe('公1文1流1转1')
    const r2 = await storage.roomLog.load('doc:r2')
    expect(r2.snapshot).toBeNull()
    expect(text(r2.snapshot, r2.updates)).toBe('公2文2流2转2')
  })
})
