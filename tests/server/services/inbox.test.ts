import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type { InboxItem, InboxPage } from '../../../shared/api'

type Person = { api: ApiClient; userId: string; token: string }

const backends = [
  { name: 'SQLite', database: async (): Promise<TestDatabase | null> => null },
  { name: 'PostgreSQL', database: (): Promise<TestDatabase | null> => createTestDatabase() },
]

let nextId = 0

/** Adds a comment thread as the editor's comment helpers do (gongwen-model.md). */
function addThread(
  doc: Y.Doc,
  author: { id: string; name: string },
  text: string,
  mentions: string[],
): string {
  const id = `t${++nextId}`
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    doc.getMap('comments').set(id, thread)
    thread.set('id', id)
    thread.set('from', null)
    thread.set('to', null)
    thread.set('quote', '防汛')
    thread.set('authorId', author.id)
    thread.set('authorName', author.name)
    thread.set('createdAt', Date.now())
    thread.set('text', text)
    thread.set('mentions', mentions)
    thread.set('resolved', false)
    thread.set('resolvedBy', null)
    thread.set('replies', new Y.Array<unknown>())
  })
  return id
}

function reply(
  doc: Y.Doc,
  threadId: string,
  author: { id: string; name: string },
  text: string,
  mentions: string[],
): string {
  const id = `r${++nextId}`
  const thread = doc.getMap('comments').get(threadId)
  const replies = thread instanceof Y.Map ? thread.get('replies') : null
  if (!(replies instanceof Y.Array)) {
    throw new Error('no thread')
  }
  replies.push([
    { id, authorId: author.id, authorName: author.name, text, mentions, createdAt: Date.now() },
  ])
  return id
}

/** The person's mentions (other notices, such as being added to a document, are tested elsewhere). */
async function inboxOf(person: Person, query = ''): Promise<InboxPage> {
  const { status, body } = await person.api.request<InboxPage>('GET', `/inbox${query}`)
  expect(status).toBe(200)
  return { ...body, items: body.items.filter((item) => item.kind === 'mention') }
}

/** Waits until the person's inbox holds `count` items, then a little longer to catch extras. */
async function settle(person: Person, count: number): Promise<readonly InboxItem[]> {
  const deadline = Date.now() + 5000
  let items = (await inboxOf(person)).items
  while (items.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    items = (await inboxOf(person)).items
  }
  await new Promise((resolve) => setTimeout(resolve, 300))
  return (await inboxOf(person)).items
}

describe.each(backends)('inbox and @mentions on $name', ({ database: makeDatabase }) => {
  let database: TestDatabase | null
  let relay: TestRelay
  let owner: Person
  let editor: Person
  let reader: Person
  let stranger: Person
  let id: string
  const clients: Client[] = []
  const zhang = (): { id: string; name: string } => ({ id: owner.userId, name: '张三' })

  beforeAll(async () => {
    database = await makeDatabase()
    relay = await startTestRelay({ databaseUrl: database?.url ?? null })
    const admin = await adminClient(relay)
    owner = await admin.createUser('zhangsan', '张三')
    editor = await admin.createUser('lisi', '李四')
    reader = await admin.createUser('wangwu', '王五')
    stranger = await admin.createUser('zhaoliu', '赵六')
    id = await owner.api.createDocument('防汛通知')
    await owner.api.share(id, editor.userId, 'editor')
    await owner.api.share(id, reader.userId, 'reader')
    // Being added to the document was a notice; these tests count unread mentions only.
    for (const person of [editor, reader]) {
      expect((await person.api.request('POST', '/inbox/read-all')).status).toBe(200)
    }
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    await relay.close()
    await database?.drop()
  })

  test('a comment that mentions members reaches their inboxes and inbox rooms; others get nothing', async () => {
    const a = connect(relay.wsUrl, `doc:${id}`, owner.token)
    clients.push(a)
    await synced(a)
    a.doc.getMap('meta').set('title', '关于做好防汛工作的通知')
    const thread = addThread(a.doc, zhang(), '请@李四 @王五 核对汛期值班表', [
      editor.userId,
      reader.userId,
      stranger.userId,
      owner.userId,
    ])

    const forReader = await settle(reader, 1)
    expect(forReader).toHaveLength(1)
    expect(forReader[0]).toMatchObject({
      kind: 'mention',
      text: '张三 在《关于做好防汛工作的通知》中提到了你',
      excerpt: '请@李四 @王五 核对汛期值班表',
      link: `/documents/${id}?thread=${thread}`,
      documentId: id,
      threadId: thread,
      actorId: owner.userId,
      actorName: '张三',
      readAt: null,
    })
    expect(await settle(editor, 1)).toHaveLength(1)
    // Not a member, and not oneself.
    expect((await inboxOf(stranger)).items).toEqual([])
    expect((await inboxOf(owner)).items).toEqual([])

    // The inbox room is the read-only projection of the same items.
    const room = connect(relay.wsUrl, `inbox:${reader.userId}`, reader.token)
    clients.push(room)
    await synced(room)
    const items = room.doc.getMap<InboxItem>('items')
    await waitFor(() => items.has(forReader[0]?.id ?? ''), 'the inbox room holds the item')
    expect(items.get(forReader[0]?.id ?? '')).toEqual(forReader[0])
    expect(room.doc.getMap<number>('summary').get('unread')).toBe(1)
    // Nobody reads another user's inbox room.
    const other = connect(relay.wsUrl, `inbox:${editor.userId}`, reader.token)
    clients.push(other)
    await waitFor(() => other.closeCodes.includes(4403), 'refused with 4403')
    other.destroy()

    // Marking read: the API and the room agree; another user's item is not found.
    const itemId = forReader[0]?.id ?? ''
    expect((await editor.api.request('POST', `/inbox/${itemId}/read`)).status).toBe(404)
    const read = await reader.api.request<InboxItem>('POST', `/inbox/${itemId}/read`)
    expect(read.status).toBe(200)
    expect(read.body.readAt).not.toBeNull()
    expect((await inboxOf(reader)).unread).toBe(0)
    expect((await inboxOf(reader, '?unread=1')).items).toEqual([])
    await waitFor(
      () => room.doc.getMap<number>('summary').get('unread') === 0,
      'the room shows it read',
    )
    expect(items.get(itemId)?.readAt).toBe(read.body.readAt)
    a.destroy()
    room.destroy()
  })

  test('replies and newly added mentions notify once, also after offline edits and resyncs', async () => {
    const a = connect(relay.wsUrl, `doc:${id}`, owner.token)
    clients.push(a)
    await synced(a)
    const b = connect(relay.wsUrl, `doc:${id}`, editor.token)
    clients.push(b)
    await synced(b)
    const thread = addThread(a.doc, zhang(), '第二条批注', [])
    await waitFor(() => b.doc.getMap('comments').has(thread), 'the editor sees the thread')

    // A reply by the editor mentioning the owner.
    reply(b.doc, thread, { id: editor.userId, name: '李四' }, '@张三 已核对', [owner.userId])
    const forOwner = await settle(owner, 1)
    expect(forOwner.map((i) => i.text)).toEqual(['李四 在《关于做好防汛工作的通知》中提到了你'])

    // The stranger becomes a reader; adding them to the thread's mentions notifies only them.
    await owner.api.share(id, stranger.userId, 'reader')
    const before = (await inboxOf(editor)).items.length
    const threadMap = a.doc.getMap('comments').get(thread)
    if (!(threadMap instanceof Y.Map)) {
      throw new Error('thread missing')
    }
    threadMap.set('mentions', [stranger.userId])
    expect(await settle(stranger, 1)).toHaveLength(1)
    expect((await inboxOf(editor)).items).toHaveLength(before)

    // Offline: the editor replies with a mention while disconnected, then reconnects twice.
    b.provider.disconnect()
    reply(b.doc, thread, { id: editor.userId, name: '李四' }, '@王五 离线时写的回复', [
      reader.userId,
    ])
    const readerBefore = (await inboxOf(reader)).items.length
    b.provider.connect()
    await synced(b)
    expect(await settle(reader, readerBefore + 1)).toHaveLength(readerBefore + 1)
    b.provider.disconnect()
    b.provider.connect()
    await synced(b)
    expect(await settle(reader, readerBefore + 2)).toHaveLength(readerBefore + 1)

    // A fresh client with the whole history, after the room unloaded and reloaded: no duplicates.
    a.destroy()
    b.provider.disconnect()
    await waitFor(() => relay.relay.loadedRoom(`doc:${id}`) === undefined, 'the room unloads')
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(b.doc))
    const c = connect(relay.wsUrl, `doc:${id}`, editor.token, copy)
    clients.push(c)
    await synced(c)
    const counts = async (): Promise<number[]> =>
      Promise.all(
        [owner, editor, reader, stranger].map(async (p) => (await inboxOf(p)).items.length),
      )
    const expected = await counts()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await counts()).toEqual(expected)
    expect(expected).toEqual([1, 1, readerBefore + 1, 1])
  })

  test('a reviewer with the commenter role reaches the drafter with an @mention', async () => {
    const docId = await owner.api.createDocument('审核稿')
    await owner.api.share(docId, stranger.userId, 'commenter')
    const c = connect(relay.wsUrl, `doc:${docId}`, stranger.token)
    clients.push(c)
    await synced(c)
    const before = (await inboxOf(owner)).items.length
    const thread = addThread(c.doc, { id: stranger.userId, name: '赵六' }, '@张三 第二段请再斟酌', [
      owner.userId,
    ])
    const items = await settle(owner, before + 1)
    expect(items).toHaveLength(before + 1)
    expect(items[0]).toMatchObject({
      text: '赵六 在《审核稿》中提到了你',
      threadId: thread,
      documentId: docId,
    })
    c.destroy()
  })
})
