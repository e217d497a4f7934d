import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import { MESSAGE_SYNC } from '../../../shared/protocol/messages'

type User = { api: ApiClient; userId: string; token: string; name?: string }

let relay: TestRelay
let owner: User
let editor: User
let commenter: User
const clients: Client[] = []

function track(client: Client): Client {
  clients.push(client)
  return client
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

function bodyText(client: Client): string {
  return client.doc.getXmlFragment('body').toString()
}

function addParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  const body = doc.getXmlFragment('body')
  body.insert(body.length, [paragraph])
}

function addComment(doc: Y.Doc, id: string, text: string, author: User): void {
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    doc.getMap('comments').set(id, thread)
    thread.set('id', id)
    thread.set('text', text)
    thread.set('authorId', author.userId)
    // The relay requires a new thread in its sender's own name (id and display name).
    thread.set('authorName', author.name ?? '')
    thread.set('resolved', false)
    thread.set('replies', new Y.Array())
  })
}

/** A document shared with an editor and a commenter, whose body holds one paragraph. */
async function sharedDocument(): Promise<{ id: string; a: Client; e: Client }> {
  const id = await owner.api.createDocument('关于做好防汛工作的通知')
  await owner.api.share(id, editor.userId, 'editor')
  await owner.api.share(id, commenter.userId, 'commenter')
  const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
  const e = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
  await Promise.all([synced(a), synced(e)])
  addParagraph(a.doc, '各市人民政府：')
  await waitFor(() => bodyText(e).includes('各市人民政府'), 'first paragraph')
  return { id, a, e }
}

async function refusals(
  documentId: string,
): Promise<{ actor_id: string | null; detail: string }[]> {
  const { rows } = await relay.audit.search({ action: 'document.update_refused' }, 100, 0)
  return rows.filter((row) => row.target === documentId)
}

/** What a fresh editor sees after the room was unloaded and loaded back from the database. */
async function reloaded(id: string): Promise<Client> {
  for (const client of clients.splice(0)) {
    client.destroy()
  }
  await waitFor(() => relay.relay.loadedRoom(`doc:${id}`) === undefined, 'room unload', 5000)
  const fresh = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
  await synced(fresh)
  return fresh
}

beforeAll(async () => {
  relay = await startTestRelay()
  const admin = await adminClient(relay)
  owner = { ...(await admin.createUser('drafter', '王芳')), name: '王芳' }
  editor = { ...(await admin.createUser('coeditor', '李强')), name: '李强' }
  commenter = { ...(await admin.createUser('reviewer', '赵敏')), name: '赵敏' }
})

afterAll(async () => {
  for (const client of clients) {
    client.destroy()
  }
  await relay.close()
})

describe('the document policy of the relay', () => {
  test("a commenter's comment reaches an editor, and the commenter keeps receiving edits", async () => {
    const { id, a, e } = await sharedDocument()
    const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
    await synced(c)
    addComment(c.doc, 't1', '建议补充时限要求', commenter)
    await waitFor(() => e.doc.getMap('comments').has('t1'), 'comment at the editor')
    const thread = e.doc.getMap('comments').get('t1')
    expect(thread instanceof Y.Map ? thread.get('text') : null).toBe('建议补充时限要求')
    // A reply (a nested change inside the thread) and a suggestion pass as well.
    c.doc.transact(() => {
      const own = c.doc.getMap('comments').get('t1')
      const replies = own instanceof Y.Map ? own.get('replies') : null
      if (replies instanceof Y.Array) {
        replies.push([{ id: 'r1', authorId: commenter.userId, authorName: '赵敏', text: '同意' }])
      }
      const suggestion = new Y.Map<unknown>()
      c.doc.getMap('suggestions').set('s1', suggestion)
      suggestion.set('kind', 'insert')
      suggestion.set('text', '，务必于6月1日前完成')
      suggestion.set('authorId', commenter.userId)
      suggestion.set('authorName', '赵敏')
    })
    await waitFor(() => e.doc.getMap('suggestions').has('s1'), 'suggestion at the editor')
    addParagraph(a.doc, '特此通知。')
    await waitFor(() => bodyText(c).includes('特此通知'), 'edit at the commenter')
    expect(c.closeCodes).toEqual([])
    expect(await refusals(id)).toEqual([])
  })

  test("a commenter's raw body edit is refused, reaches no one, is not stored, and is audited", async () => {
    const { id, a, e } = await sharedDocument()
    // A hand-made update that adds a comment AND a paragraph: all of it is refused.
    const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
    await synced(c)
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${commenter.token}`)
    const code = closed(socket)
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(c.doc))
    const before = Y.encodeStateVector(forged)
    addComment(forged, 'cover', '掩护', commenter)
    addParagraph(forged, '伪造的正文')
    socket.send(updateMessage(Y.encodeStateAsUpdate(forged, before)))
    expect(await code).toBe(CloseEvents.updateRefused.code)

    // The stock provider's own body edit: closed with 4403 too.
    addParagraph(c.doc, '评论人直接改正文')
    await waitFor(() => c.closeCodes.includes(4403), 'commenter closed')

    addParagraph(a.doc, '正式内容')
    await waitFor(() => bodyText(e).includes('正式内容'), 'later edit')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bodyText(e)).not.toContain('伪造')
    expect(bodyText(e)).not.toContain('评论人')
    expect(e.doc.getMap('comments').has('cover')).toBe(false)

    const rows = await refusals(id)
    expect(rows.length).toBeGreaterThanOrEqual(2)
    expect(rows.every((row) => row.actor_id === commenter.userId)).toBe(true)
    const details = rows.map((row) => JSON.parse(row.detail) as { reason: string; roots: string[] })
    expect(details).toContainEqual(
      expect.objectContaining({ reason: 'commenter_root', roots: ['body', 'comments'] }),
    )
    expect(details).toContainEqual(
      expect.objectContaining({ reason: 'commenter_root', roots: ['body'] }),
    )

    const fresh = await reloaded(id)
    expect(bodyText(fresh)).toContain('正式内容')
    expect(bodyText(fresh)).not.toContain('伪造')
    expect(bodyText(fresh)).not.toContain('评论人')
  })

  test('a commenter may not delete body text, change meta, or write a root of their own', async () => {
    const { id, e } = await sharedDocument()
    e.doc.getMap('meta').set('title', '关于做好防汛工作的通知')
    const attempts: ((doc: Y.Doc) => void)[] = [
      (doc) => doc.getXmlFragment('body').delete(0, 1),
      (doc) => doc.getMap('meta').set('title', '改过的标题'),
      (doc) => doc.getMap('notes').set('x', 1),
    ]
    for (const attempt of attempts) {
      const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
      await synced(c)
      await waitFor(() => c.doc.getMap('meta').get('title') !== undefined, 'meta at the commenter')
      attempt(c.doc)
      await waitFor(() => c.closeCodes.includes(CloseEvents.updateRefused.code), 'refusal')
      c.destroy()
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bodyText(e)).toContain('各市人民政府')
    expect(e.doc.getMap('meta').get('title')).toBe('关于做好防汛工作的通知')
    const reasons = (await refusals(id)).map((row) => JSON.parse(row.detail) as { roots: string[] })
    expect(reasons.map((r) => r.roots).sort()).toEqual([['body'], ['meta'], ['notes']])
  })

  test('a commenter who reconnects after editors deleted text is not refused for it', async () => {
    const { id, a, e } = await sharedDocument()
    const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
    await synced(c)
    addParagraph(a.doc, '将被删除的段落')
    await waitFor(() => bodyText(c).includes('将被删除'), 'paragraph at the commenter')
    c.provider.disconnect()
    a.doc.getXmlFragment('body').delete(1, 1)
    addComment(c.doc, 'offline', '离线时写的批注', commenter)
    c.provider.connect()
    await waitFor(() => e.doc.getMap('comments').has('offline'), 'offline comment at the editor')
    await waitFor(() => !bodyText(c).includes('将被删除'), 'deletion at the commenter')
    expect(c.closeCodes).toEqual([])
    expect(await refusals(id)).toEqual([])
  })

  test('nobody may mark a document 秘密: the update is refused, audited and never stored', async () => {
    const { id, a, e } = await sharedDocument()
    a.doc.getMap('meta').set('classification', 'none')
    await waitFor(() => e.doc.getMap('meta').get('classification') === 'none', 'none is fine')

    // An overwrite (placed through its origin, not its key) and a first write in a new document.
    e.doc.getMap('meta').set('classification', '秘密')
    await waitFor(() => e.closeCodes.includes(CloseEvents.classifiedRefused.code), 'editor refused')
    expect(CloseEvents.classifiedRefused.code).toBe(4403)

    const other = await owner.api.createDocument('另一份文件')
    const o = track(connect(relay.wsUrl, `doc:${other}`, owner.token))
    await synced(o)
    o.doc.transact(() => {
      o.doc.getMap('meta').set('classification', '机密★10年')
      addParagraph(o.doc, '正文')
    })
    await waitFor(() => o.closeCodes.includes(4403), 'owner refused')

    addParagraph(a.doc, '此后的正常编辑')
    await waitFor(() => bodyText(a).includes('此后的正常编辑'), 'local')
    const watcher = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    await synced(watcher)
    await waitFor(() => bodyText(watcher).includes('此后的正常编辑'), 'owner still edits')
    expect(watcher.doc.getMap('meta').get('classification')).toBe('none')

    // The stock provider reconnects after a close and resends its change, refused each time.
    const rows = [...(await refusals(id)), ...(await refusals(other))]
    const reasons = new Set(
      rows.map((row) => (JSON.parse(row.detail) as { reason: string }).reason),
    )
    expect([...reasons]).toEqual(['classified'])
    expect(new Set(rows.map((row) => row.actor_id))).toEqual(new Set([editor.userId, owner.userId]))

    const fresh = await reloaded(id)
    expect(fresh.doc.getMap('meta').get('classification')).toBe('none')
    await owner.api.share(other, editor.userId, 'editor')
    const again = track(connect(relay.wsUrl, `doc:${other}`, editor.token))
    await synced(again)
    expect(again.doc.getMap('meta').get('classification')).toBeUndefined()
    expect(bodyText(again)).toBe('')
  })

  test("editors' normal edits flow, and checking them stays cheap", async () => {
    const { id, a, e } = await sharedDocument()
    const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
    await synced(c)
    const before = { ...relay.policy.stats }
    const text = new Y.XmlText('')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [text])
    e.doc.getXmlFragment('body').insert(1, [paragraph])
    const sentence = '为切实做好今年汛期安全防范工作，确保人民群众生命财产安全。'
    for (let i = 0; i < 300; i++) {
      text.insert(text.length, sentence[i % sentence.length] ?? '。')
      if (i % 50 === 0) {
        a.doc.getMap('meta').set('ccRecipients', `抄送${i + 1}`)
      }
    }
    await waitFor(() => text.length === 300 && bodyText(c).length > 300, 'typing reaches everyone')
    await waitFor(() => a.doc.getMap('meta').get('ccRecipients') === '抄送251', 'meta')
    expect(e.closeCodes).toEqual([])
    expect(a.closeCodes).toEqual([])
    const checked = relay.policy.stats.checked - before.checked
    const spent = relay.policy.stats.totalMs - before.totalMs
    expect(checked).toBeGreaterThanOrEqual(300)
    // Generous bound: a keystroke's check is a few binary searches, far below a millisecond.
    expect(spent / checked).toBeLessThan(1)
    expect(await refusals(id)).toEqual([])
  })
})
