/**
 * 回收站 and 归档 against a real relay on SQLite and PostgreSQL: a deleted document vanishes from
 * lists, search and rooms (open sockets close, new ones are refused) and comes back from the
 * 回收站 with its content, members and versions; an archived document refuses edits from every
 * socket — editor, owner and sysadmin — and the relay audits each refusal. Only owners (and
 * sysadmins) delete, restore and archive; every change is audited. A document created offline
 * with a client id is created once, however often its request is retried.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type { DocumentSummary, TrashedDocument } from '../../../shared/api'

type Person = { api: ApiClient; userId: string; token: string }

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`回收站 and 归档 (${dialect})`, () => {
    let relay: TestRelay
    let database: TestDatabase | null = null
    let admin: ApiClient
    let adminToken: string
    let owner: Person
    let editor: Person
    let stranger: Person
    const clients: Client[] = []

    beforeAll(async () => {
      database = dialect === 'postgres' ? await createTestDatabase() : null
      relay = await startTestRelay({ databaseUrl: database?.url ?? null })
      admin = await adminClient(relay)
      adminToken = admin.token ?? ''
      owner = await admin.createUser('owner', '王芳')
      editor = await admin.createUser('editor', '李强')
      stranger = await admin.createUser('stranger', '赵敏')
    })

    afterAll(async () => {
      for (const client of clients) {
        client.destroy()
      }
      await relay.close()
      await database?.drop()
    })

    function open(id: string, token: string): Client {
      const client = connect(relay.wsUrl, `doc:${id}`, token)
      clients.push(client)
      return client
    }

    function type(client: Client, words: string): void {
      client.doc.getText('text').insert(client.doc.getText('text').length, words)
    }

    async function listed(person: Person, q?: string): Promise<string[]> {
      const path = q === undefined ? '/documents' : `/documents?q=${encodeURIComponent(q)}`
      const { body } = await person.api.request<{ documents: DocumentSummary[] }>('GET', path)
      return body.documents.map((d) => d.id)
    }

    async function audited(action: string, target: string): Promise<number> {
      const { rows } = await relay.audit.search({ action }, 200, 0)
      return rows.filter((row) => row.target === target).length
    }

    /** A raw socket's close code after it sends one update (or null if still open after 500 ms). */
    function upgradeRefused(id: string, token: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(`${relay.wsUrl}/doc:${id}?token=${token}`)
        socket.once('close', (code) => resolve(code))
        socket.once('error', () => {})
        setTimeout(() => reject(new Error('socket stayed open')), 5000).unref()
      })
    }

    test('a deleted document vanishes for everyone, closes its sockets, and comes back whole from the 回收站', async () => {
      const id = await owner.api.createDocument('关于做好防汛工作的通知')
      await owner.api.share(id, editor.userId, 'editor')
      const writer = open(id, owner.token)
      await synced(writer)
      type(writer, '各市人民政府：防汛形势严峻。')
      const named = await owner.api.request('POST', `/documents/${id}/versions`, { name: '初稿' })
      expect(named.status).toBe(201)
      const reader = open(id, editor.token)
      await synced(reader)
      await waitFor(() => reader.doc.getText('text').toString().includes('防汛'), 'the text')
      expect(await listed(editor, '防汛')).toContain(id)

      // Only the owner (or a sysadmin) deletes; the editor's try is refused and audited.
      const refused = await editor.api.request('DELETE', `/documents/${id}`)
      expect(refused.status).toBe(403)
      expect(await audited('doc.lifecycle_refused', id)).toBe(1)

      const deleted = await owner.api.request('DELETE', `/documents/${id}`)
      expect(deleted.status).toBe(204)
      // Open sockets close at once with 4403 and no provider gets back in.
      await waitFor(() => writer.closeCodes.includes(4403), 'the owner socket to close')
      await waitFor(() => reader.closeCodes.includes(4403), 'the editor socket to close')
      expect(await upgradeRefused(id, owner.token)).toBe(4403)
      expect(await upgradeRefused(id, adminToken)).toBe(4403)
      for (const person of [owner, editor]) {
        expect(await listed(person)).not.toContain(id)
        expect(await listed(person, '防汛')).not.toContain(id)
        expect((await person.api.request('GET', `/documents/${id}`)).status).toBe(404)
      }
      expect((await owner.api.request('GET', `/documents/${id}/versions`)).status).toBe(404)
      expect((await stranger.api.request('DELETE', `/documents/${id}`)).status).toBe(404)

      // The 回收站: the owner's, with who deleted it; not the editor's; a sysadmin sees it.
      const trash = await owner.api.request<{ documents: TrashedDocument[] }>(
        'GET',
        '/documents/trash',
      )
      expect(trash.body.documents.map((d) => [d.id, d.deletedByName])).toEqual([[id, '王芳']])
      const othersTrash = await editor.api.request<{ documents: TrashedDocument[] }>(
        'GET',
        '/documents/trash',
      )
      expect(othersTrash.body.documents).toEqual([])
      const adminTrash = await admin.request<{ documents: TrashedDocument[] }>(
        'GET',
        '/documents/trash',
      )
      expect(adminTrash.body.documents.map((d) => d.id)).toContain(id)
      expect((await editor.api.request('POST', `/documents/${id}/restore`)).status).toBe(404)

      const restored = await owner.api.request<DocumentSummary>('POST', `/documents/${id}/restore`)
      expect(restored.status).toBe(200)
      expect(restored.body).toMatchObject({ id, role: 'owner', archivedAt: null })
      // Content, members and history as they were.
      const again = open(id, editor.token)
      await synced(again)
      expect(again.doc.getText('text').toString()).toBe('各市人民政府：防汛形势严峻。')
      const members = await owner.api.request<{ members: { userId: string; role: string }[] }>(
        'GET',
        `/documents/${id}/members`,
      )
      expect(members.body.members.map((m) => [m.userId, m.role]).sort()).toEqual(
        [
          [owner.userId, 'owner'],
          [editor.userId, 'editor'],
        ].sort(),
      )
      const versions = await owner.api.request<{ versions: { name: string | null }[] }>(
        'GET',
        `/documents/${id}/versions`,
      )
      expect(versions.body.versions.map((v) => v.name)).toContain('初稿')
      expect(await listed(editor)).toContain(id)
      expect(await audited('doc.delete', id)).toBe(1)
      expect(await audited('doc.restore', id)).toBe(1)
    })

    test('an archived document refuses edits from every socket — editor, owner and sysadmin — and audits them', async () => {
      const id = await owner.api.createDocument('关于印发工作要点的通知')
      await owner.api.share(id, editor.userId, 'editor')
      const before = open(id, editor.token)
      await synced(before)
      type(before, '正文第一段。')
      await waitFor(() => before.provider.wsconnected, 'connected')

      expect((await editor.api.request('POST', `/documents/${id}/archive`)).status).toBe(403)
      const archived = await owner.api.request<DocumentSummary>('POST', `/documents/${id}/archive`)
      expect(archived.status).toBe(200)
      expect(archived.body.archivedAt).not.toBeNull()
      await waitFor(() => before.closeCodes.includes(4403), 'the open socket to close')
      // Archiving again changes nothing and audits nothing more.
      expect((await owner.api.request('POST', `/documents/${id}/archive`)).status).toBe(200)
      expect(await audited('doc.archive', id)).toBe(1)
      const listedRow = await owner.api.request<DocumentSummary>('GET', `/documents/${id}`)
      expect(listedRow.body.archivedAt).toBe(archived.body.archivedAt)

      // Every kind of socket may read it and none may write it; a sysadmin joins as a reader too.
      const me = await admin.request<{ user: { id: string } }>('GET', '/auth/me')
      const adminId = me.body.user.id
      await owner.api.share(id, adminId, 'editor')
      const sockets = [open(id, owner.token), open(id, editor.token), open(id, adminToken)]
      for (const socket of sockets) {
        await synced(socket)
        expect(socket.doc.getText('text').toString()).toBe('正文第一段。')
        type(socket, '归档后的修改')
      }
      const watcher = open(id, owner.token)
      await synced(watcher)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(watcher.doc.getText('text').toString()).toBe('正文第一段。')
      // Each writer's refusal is audited (once per user and room); the audit writes settle.
      const refusedBy = async (): Promise<Set<string | null>> => {
        const { rows } = await relay.audit.search({ action: 'relay.refused' }, 200, 0)
        return new Set(
          rows
            .filter((row) => row.target === `doc:${id}`)
            .filter((row) => row.detail.includes('archived_write_refused'))
            .map((row) => row.actor_id),
        )
      }
      const deadline = Date.now() + 5000
      while ((await refusedBy()).size < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(await refusedBy()).toEqual(new Set([owner.userId, editor.userId, adminId]))
      // The title cannot change either.
      const renamed = await owner.api.request('PATCH', `/documents/${id}`, { title: '新标题' })
      expect(renamed.status).toBe(409)
    })

    test('a document created offline with its client id is created once, whatever the retries', async () => {
      const id = randomUUID()
      const first = await owner.api.request<DocumentSummary>('POST', '/documents', {
        title: '离线新建的请示',
        docType: 'request',
        id,
        offline: true,
      })
      expect(first.status).toBe(201)
      expect(first.body).toMatchObject({ id, docType: 'request', role: 'owner' })
      const retry = await owner.api.request<DocumentSummary>('POST', '/documents', {
        title: '离线新建的请示',
        docType: 'request',
        id,
        offline: true,
      })
      expect(retry.status).toBe(201)
      expect(retry.body.id).toBe(id)
      expect((await listed(owner)).filter((d) => d === id)).toHaveLength(1)
      // The client brings the content (its template included): the relay seeds nothing.
      const client = open(id, owner.token)
      await synced(client)
      expect(client.doc.getXmlFragment('body').length).toBe(0)
      // Online, a client id (kept for retries) still gets its 文种's template from the relay.
      const onlineId = randomUUID()
      const online = await owner.api.request<DocumentSummary>('POST', '/documents', {
        title: '在线新建的请示',
        docType: 'request',
        id: onlineId,
      })
      expect(online.status).toBe(201)
      const seeded = open(onlineId, owner.token)
      await synced(seeded)
      expect(seeded.doc.getXmlFragment('body').length).toBeGreaterThan(0)
      // Someone else's id is refused; a malformed one too.
      const taken = await stranger.api.request('POST', '/documents', { title: '抢占', id })
      expect(taken.status).toBe(409)
      const bad = await owner.api.request('POST', '/documents', { title: '坏编号', id: 'X; drop' })
      expect(bad.status).toBe(400)
      expect(await audited('doc.create', id)).toBe(1)
    })
  })
}
