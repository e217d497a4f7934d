/**
 * Document notices decided by the relay from what integrated updates did: being added to a
 * document, comments and replies, suggestions, and the decision on one's suggestion — never for
 * one's own actions, never twice on a resync, one per update however many entries it carries, and
 * nothing for an update the relay refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import type { InboxItem, InboxPage } from '../../../shared/api'

type Person = { api: ApiClient; userId: string; token: string; name: string }

const backends = [
  { name: 'SQLite', database: async (): Promise<TestDatabase | null> => null },
  { name: 'PostgreSQL', database: (): Promise<TestDatabase | null> => createTestDatabase() },
]

let nextId = 0

function addThread(doc: Y.Doc, author: Person, text: string, mentions: string[] = []): string {
  const id = `t${++nextId}`
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    doc.getMap('comments').set(id, thread)
    for (const [key, value] of Object.entries({
      id,
      from: null,
      to: null,
      quote: '防汛',
      authorId: author.userId,
      authorName: author.name,
      createdAt: Date.now(),
      text,
      mentions,
      resolved: false,
      resolvedBy: null,
    })) {
      thread.set(key, value)
    }
    thread.set('replies', new Y.Array<unknown>())
  })
  return id
}

function reply(doc: Y.Doc, threadId: string, author: Person, text: string): void {
  const thread = doc.getMap('comments').get(threadId)
  const replies = thread instanceof Y.Map ? thread.get('replies') : null
  if (!(replies instanceof Y.Array)) {
    throw new Error('no thread')
  }
  replies.push([
    {
      id: `r${++nextId}`,
      authorId: author.userId,
      authorName: author.name,
      text,
      mentions: [],
      createdAt: Date.now(),
    },
  ])
}

/** Records suggestions as suggestionModel.addSuggestion does, `count` of them in one update. */
function suggest(
  doc: Y.Doc,
  author: { userId: string; name: string },
  quote: string,
  text: string,
  count = 1,
): string[] {
  const ids: string[] = []
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const id = `s${++nextId}`
      ids.push(id)
      const entry = new Y.Map<unknown>()
      doc.getMap('suggestions').set(id, entry)
      for (const [key, value] of Object.entries({
        id,
        kind: 'replace',
        from: null,
        to: null,
        text,
        quote,
        authorId: author.userId,
        authorName: author.name,
        createdAt: Date.now(),
        status: 'open',
        decidedBy: null,
        decidedAt: null,
      })) {
        entry.set(key, value)
      }
    }
  })
  return ids
}

function decide(doc: Y.Doc, ids: readonly string[], status: string, by: Person): void {
  doc.transact(() => {
    for (const id of ids) {
      const entry = doc.getMap('suggestions').get(id)
      if (!(entry instanceof Y.Map)) {
        throw new Error(`no suggestion ${id}`)
      }
      entry.set('status', status)
      entry.set('decidedBy', by.userId)
      entry.set('decidedAt', Date.now())
    }
  })
}

async function inboxOf(person: Person): Promise<readonly InboxItem[]> {
  const { status, body } = await person.api.request<InboxPage>('GET', '/inbox?limit=200')
  expect(status).toBe(200)
  return body.items
}

/** Waits until the person's inbox holds `count` items, then a little longer to catch extras. */
async function settle(person: Person, count: number): Promise<readonly InboxItem[]> {
  const deadline = Date.now() + 5000
  let items = await inboxOf(person)
  while (items.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    items = await inboxOf(person)
  }
  await new Promise((resolve) => setTimeout(resolve, 300))
  return inboxOf(person)
}

async function readAll(person: Person): Promise<void> {
  expect((await person.api.request('POST', '/inbox/read-all')).status).toBe(200)
}

describe.each(backends)('document notices on $name', ({ database: makeDatabase }) => {
  let database: TestDatabase | null
  let relay: TestRelay
  let drafter: Person
  let reviewer: Person
  let editor: Person
  let reader: Person
  let documentId: string
  const clients: Client[] = []

  function open(person: Person): Client {
    const client = connect(relay.wsUrl, `doc:${documentId}`, person.token)
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    database = await makeDatabase()
    relay = await startTestRelay({ databaseUrl: database?.url ?? null })
    const admin = await adminClient(relay)
    const person = async (username: string, name: string): Promise<Person> => ({
      ...(await admin.createUser(username, name)),
      name,
    })
    drafter = await person('zhangwei', '张伟')
    reviewer = await person('wangfang', '王芳')
    editor = await person('lina', '李娜')
    reader = await person('zhaomin', '赵敏')
    documentId = await drafter.api.createDocument('关于做好防汛工作的通知')
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    await relay.close()
    await database?.drop()
  })

  test('a person added to a document is told once, with their right; a role change is not news', async () => {
    await drafter.api.share(documentId, reviewer.userId, 'commenter')
    await drafter.api.share(documentId, editor.userId, 'editor')
    await drafter.api.share(documentId, reader.userId, 'reader')
    const [item] = await settle(reviewer, 1)
    expect(item).toMatchObject({
      kind: 'member',
      text: '张伟 邀请你参与《关于做好防汛工作的通知》',
      excerpt: '权限：可批注、提修订',
      link: `/documents/${documentId}`,
      documentId,
      actorId: drafter.userId,
      readAt: null,
    })
    await drafter.api.share(documentId, reader.userId, 'commenter')
    await drafter.api.share(documentId, reader.userId, 'reader')
    expect(await settle(reader, 1)).toHaveLength(1)
    expect(await inboxOf(drafter)).toEqual([])
    await Promise.all([reviewer, editor, reader].map(readAll))
  })

  test('a reviewer’s suggestion reaches the drafter once, linked to it; the decision reaches the reviewer', async () => {
    const r = open(reviewer)
    const d = open(drafter)
    await Promise.all([synced(r), synced(d)])
    const [suggestion = ''] = suggest(r.doc, reviewer, '高度重视', '切实重视')
    const [notice] = await settle(drafter, 1)
    expect(notice).toMatchObject({
      kind: 'suggestion',
      text: '王芳 在《关于做好防汛工作的通知》中提出了修订建议',
      excerpt: '建议将「高度重视」改为「切实重视」',
      link: `/documents/${documentId}?suggestion=${suggestion}`,
      documentId,
      actorId: reviewer.userId,
      actorName: '王芳',
    })
    // The reviewer hears nothing of their own suggestion; the editor and reader are not its owner.
    for (const person of [reviewer, editor, reader]) {
      expect((await inboxOf(person)).filter((i) => i.readAt === null)).toEqual([])
    }

    // A second suggestion while the first notice is unread: the bell does not ring again.
    suggest(r.doc, reviewer, '值班', '24小时值班')
    expect(await settle(drafter, 2)).toHaveLength(1)

    // The drafter accepts one and rejects the other (two updates): the reviewer hears of each.
    await waitFor(() => d.doc.getMap('suggestions').size === 2, 'the drafter has both')
    const ids = [...d.doc.getMap('suggestions').keys()].sort()
    decide(d.doc, [ids[0] ?? ''], 'accepted', drafter)
    decide(d.doc, [ids[1] ?? ''], 'rejected', drafter)
    const decisions = (await settle(reviewer, 3)).filter((i) => i.kind !== 'member')
    expect(decisions.map((i) => i.text).sort()).toEqual([
      '张伟 未采纳你在《关于做好防汛工作的通知》中的修订建议',
      '张伟 采纳了你在《关于做好防汛工作的通知》中的修订建议',
    ])
    expect(decisions.every((i) => i.kind === 'decision')).toBe(true)
    expect(decisions.map((i) => i.link).sort()).toEqual(
      ids.map((id) => `/documents/${documentId}?suggestion=${id}`).sort(),
    )
    // Deciding is the drafter's own action: nothing new for them.
    expect(await inboxOf(drafter)).toHaveLength(1)

    // Once read, the next burst is news again.
    await readAll(drafter)
    suggest(r.doc, reviewer, '通知', '紧急通知')
    expect(await settle(drafter, 2)).toHaveLength(2)
    r.destroy()
    d.destroy()
  })

  test('a suggestion typed on is quoted as typed; one withdrawn at once is not told', async () => {
    await readAll(drafter)
    const r = open(reviewer)
    await synced(r)
    const before = (await inboxOf(drafter)).length
    const [typed = ''] = suggest(r.doc, reviewer, '', '请')
    const entry = r.doc.getMap('suggestions').get(typed)
    if (!(entry instanceof Y.Map)) {
      throw new Error('no suggestion')
    }
    entry.set('kind', 'insert')
    entry.set('text', '请及时上报')
    const [item] = await settle(drafter, before + 1)
    expect(item?.excerpt).toBe('建议插入「请及时上报」')
    // Withdrawn (deleted by its author) before it settled: nothing.
    await readAll(drafter)
    const [gone = ''] = suggest(r.doc, reviewer, '汛期', '主汛期')
    r.doc.getMap('suggestions').delete(gone)
    expect(await settle(drafter, before + 2)).toHaveLength(before + 1)
    r.destroy()
  })

  test('one update with many suggestions makes one notice', async () => {
    await readAll(drafter)
    const r = open(reviewer)
    await synced(r)
    const before = (await inboxOf(drafter)).length
    const started = Date.now()
    suggest(r.doc, reviewer, '防汛', '防汛抗旱', 500)
    const items = await settle(drafter, before + 1)
    expect(items).toHaveLength(before + 1)
    // The relay integrates a large update in slices; the burst is told once all the same.
    expect(items[0]?.text).toBe('王芳 在《关于做好防汛工作的通知》中提出了多条修订建议')
    expect(Date.now() - started).toBeLessThan(5000)
    r.destroy()
  })

  test('comments reach the owner and replies the thread’s author; mentions are told as mentions only', async () => {
    await Promise.all([drafter, reviewer, editor].map(readAll))
    const r = open(reviewer)
    const e = open(editor)
    await Promise.all([synced(r), synced(e)])
    const thread = addThread(r.doc, reviewer, '第二段请再斟酌')
    const [comment] = await settle(drafter, (await inboxOf(drafter)).length + 1)
    expect(comment).toMatchObject({
      kind: 'comment',
      text: '王芳 在《关于做好防汛工作的通知》中添加了批注',
      excerpt: '第二段请再斟酌',
      link: `/documents/${documentId}?thread=${thread}`,
      threadId: thread,
    })
    // The editor replies: the thread's author (the reviewer) hears of it.
    await waitFor(() => e.doc.getMap('comments').has(thread), 'the editor sees the thread')
    const reviewerBefore = (await inboxOf(reviewer)).length
    reply(e.doc, thread, editor, '同意，已改')
    const [answer] = await settle(reviewer, reviewerBefore + 1)
    expect(answer).toMatchObject({
      kind: 'comment',
      text: '李娜 回复了你在《关于做好防汛工作的通知》中的批注',
      excerpt: '同意，已改',
    })
    // A comment that @mentions the drafter is a mention for them, not also a comment notice.
    await readAll(drafter)
    const drafterBefore = (await inboxOf(drafter)).length
    addThread(e.doc, editor, '@张伟 请确认', [drafter.userId])
    const after = await settle(drafter, drafterBefore + 1)
    expect(after.slice(0, after.length - drafterBefore).map((i) => i.kind)).toEqual(['mention'])
    r.destroy()
    e.destroy()
  })

  test('resyncs, reconnects and a reloaded room tell nobody again; refused updates tell nobody', async () => {
    await Promise.all([drafter, reviewer].map(readAll))
    const r = open(reviewer)
    await synced(r)
    // Offline suggestions arrive on reconnect, once.
    r.provider.disconnect()
    suggest(r.doc, reviewer, '汛期', '主汛期')
    const before = (await inboxOf(drafter)).length
    r.provider.connect()
    await synced(r)
    expect(await settle(drafter, before + 1)).toHaveLength(before + 1)
    r.provider.disconnect()
    r.provider.connect()
    await synced(r)
    // The whole history from a fresh client, after the room unloaded.
    r.provider.disconnect()
    await waitFor(
      () => relay.relay.loadedRoom(`doc:${documentId}`) === undefined,
      'the room unloads',
    )
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(r.doc))
    const again = connect(relay.wsUrl, `doc:${documentId}`, reviewer.token, copy)
    clients.push(again)
    await synced(again)
    expect(await settle(drafter, before + 2)).toHaveLength(before + 1)

    // A suggestion in someone else's name is refused by the relay: no notice for anyone.
    await readAll(drafter)
    const forged = open(reviewer)
    await synced(forged)
    suggest(forged.doc, { userId: editor.userId, name: '李娜' }, '工作', '任务')
    await waitFor(() => forged.closeCodes.includes(4403), 'the forged suggestion is refused')
    // A reader's update is dropped: nothing either.
    const readerClient = open(reader)
    await synced(readerClient)
    suggest(readerClient.doc, reader, '工作', '任务')
    expect(await settle(drafter, before + 2)).toHaveLength(before + 1)
    expect((await inboxOf(editor)).filter((i) => i.readAt === null)).toEqual([])
  })
})
