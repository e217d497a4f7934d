/**
 * 批注 and 修订 belong to their authors: the relay refuses an update that forges an author, edits or
 * deletes someone else's entry, resolves a thread or decides a suggestion without the right, or
 * names someone else as the one who decided. Each attempt comes from a stock provider.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

type User = { api: ApiClient; userId: string; token: string; name: string }

let relay: TestRelay
let owner: User
let editor: User
let commenter: User
let colleague: User
let documentId: string
let watcher: Client
const clients: Client[] = []

function thread(doc: Y.Doc, id: string): Y.Map<unknown> {
  const found = doc.getMap('comments').get(id)
  if (!(found instanceof Y.Map)) {
    throw new Error(`no thread ${id}`)
  }
  return found
}

function suggestion(doc: Y.Doc, id: string): Y.Map<unknown> {
  const found = doc.getMap('suggestions').get(id)
  if (!(found instanceof Y.Map)) {
    throw new Error(`no suggestion ${id}`)
  }
  return found
}

function replies(doc: Y.Doc, threadId: string): Y.Array<unknown> {
  const list = thread(doc, threadId).get('replies')
  if (!(list instanceof Y.Array)) {
    throw new Error('no replies')
  }
  return list
}

/** A thread with every field, as the editor's comment helpers write it. */
function addThread(
  doc: Y.Doc,
  id: string,
  text: string,
  author: { id: string; name: string },
): void {
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    doc.getMap('comments').set(id, entry)
    entry.set('id', id)
    entry.set('from', null)
    entry.set('to', null)
    entry.set('quote', '防汛')
    entry.set('authorId', author.id)
    entry.set('authorName', author.name)
    entry.set('createdAt', Date.now())
    entry.set('text', text)
    entry.set('mentions', [])
    entry.set('resolved', false)
    entry.set('resolvedBy', null)
    entry.set('replies', new Y.Array<unknown>())
  })
}

function addReply(
  doc: Y.Doc,
  threadId: string,
  id: string,
  text: string,
  author: { id: string; name: string },
): void {
  replies(doc, threadId).push([
    { id, authorId: author.id, authorName: author.name, text, mentions: [], createdAt: Date.now() },
  ])
}

function addSuggestion(
  doc: Y.Doc,
  id: string,
  text: string,
  author: { id: string; name: string },
): void {
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    doc.getMap('suggestions').set(id, entry)
    entry.set('id', id)
    entry.set('kind', 'insert')
    entry.set('from', null)
    entry.set('to', null)
    entry.set('text', text)
    entry.set('quote', '')
    entry.set('authorId', author.id)
    entry.set('authorName', author.name)
    entry.set('createdAt', Date.now())
    entry.set('status', 'open')
    entry.set('decidedBy', null)
    entry.set('decidedAt', null)
  })
}

const who = (user: User) => ({ id: user.userId, name: user.name })

async function session(user: User): Promise<Client> {
  const client = connect(relay.wsUrl, `doc:${documentId}`, user.token)
  clients.push(client)
  await synced(client)
  await waitFor(() => client.doc.getMap('comments').has('t-owner'), 'comments at the client')
  return client
}

/** Makes the change as `user` and expects the relay to close the socket with 4403. */
async function refused(user: User, change: (doc: Y.Doc) => void): Promise<void> {
  const client = await session(user)
  change(client.doc)
  await waitFor(() => client.closeCodes.length > 0, 'a refusal', 3000)
  expect(client.closeCodes[0]).toBe(CloseEvents.updateRefused.code)
  client.destroy()
}

/** Makes the change as `user` and expects it to reach the watcher. */
async function accepted(
  user: User,
  change: (doc: Y.Doc) => void,
  arrived: (doc: Y.Doc) => boolean,
): Promise<void> {
  const client = await session(user)
  change(client.doc)
  await waitFor(() => arrived(watcher.doc), 'the change at the watcher', 3000)
  expect(client.closeCodes).toEqual([])
  client.destroy()
}

async function refusalRows(): Promise<{ actor_id: string | null; detail: string }[]> {
  const { rows } = await relay.audit.search({ action: 'document.update_refused' }, 200, 0)
  return rows.filter((row) => row.target === documentId)
}

beforeAll(async () => {
  relay = await startTestRelay()
  const admin = await adminClient(relay)
  owner = { ...(await admin.createUser('drafter', '王芳')), name: '王芳' }
  editor = { ...(await admin.createUser('coeditor', '李强')), name: '李强' }
  commenter = { ...(await admin.createUser('reviewer', '赵敏')), name: '赵敏' }
  colleague = { ...(await admin.createUser('reviewer2', '孙丽')), name: '孙丽' }
  documentId = await owner.api.createDocument('关于做好防汛工作的通知')
  await owner.api.share(documentId, editor.userId, 'editor')
  await owner.api.share(documentId, commenter.userId, 'commenter')
  await owner.api.share(documentId, colleague.userId, 'commenter')
  watcher = connect(relay.wsUrl, `doc:${documentId}`, owner.token)
  clients.push(watcher)
  await synced(watcher)
  addThread(watcher.doc, 't-owner', '请各单位于6月1日前报送', who(owner))
  const other = await (async () => {
    const client = connect(relay.wsUrl, `doc:${documentId}`, colleague.token)
    clients.push(client)
    await synced(client)
    await waitFor(() => client.doc.getMap('comments').has('t-owner'), 'owner thread')
    return client
  })()
  addReply(other.doc, 't-owner', 'r-colleague', '已阅', who(colleague))
  addSuggestion(other.doc, 's-colleague', '，务必按时报送', who(colleague))
  await waitFor(() => watcher.doc.getMap('suggestions').has('s-colleague'), 'suggestion')
  await waitFor(() => replies(watcher.doc, 't-owner').length === 1, 'reply')
  expect(other.closeCodes).toEqual([])
  other.destroy()
})

afterAll(async () => {
  for (const client of clients) {
    client.destroy()
  }
  await relay.close()
})

describe('批注 and 修订 belong to their authors', () => {
  test('a commenter may reply, and resolve and reopen a thread of their own', async () => {
    await accepted(
      commenter,
      (doc) => addReply(doc, 't-owner', 'r-commenter', '同意', who(commenter)),
      (doc) => replies(doc, 't-owner').length === 2,
    )
    await accepted(
      commenter,
      (doc) => addThread(doc, 't-commenter', '标题是否需要调整', who(commenter)),
      (doc) => doc.getMap('comments').has('t-commenter'),
    )
    await accepted(
      commenter,
      (doc) =>
        doc.transact(() => {
          thread(doc, 't-commenter').set('resolved', true)
          thread(doc, 't-commenter').set('resolvedBy', commenter.userId)
        }),
      (doc) => thread(doc, 't-commenter').get('resolved') === true,
    )
    await accepted(
      commenter,
      (doc) =>
        doc.transact(() => {
          thread(doc, 't-commenter').set('resolved', false)
          thread(doc, 't-commenter').set('resolvedBy', null)
        }),
      (doc) => thread(doc, 't-commenter').get('resolved') === false,
    )
    await accepted(
      commenter,
      (doc) => thread(doc, 't-commenter').set('text', '标题是否需要调整？'),
      (doc) => thread(doc, 't-commenter').get('text') === '标题是否需要调整？',
    )
  })

  test("a commenter may not rewrite, resolve or delete someone else's thread, nor post in their name", async () => {
    await refused(commenter, (doc) => thread(doc, 't-owner').set('text', '不必报送'))
    await refused(commenter, (doc) =>
      doc.transact(() => {
        thread(doc, 't-owner').set('resolved', true)
        thread(doc, 't-owner').set('resolvedBy', commenter.userId)
      }),
    )
    await refused(commenter, (doc) => doc.getMap('comments').delete('t-owner'))
    await refused(commenter, (doc) => thread(doc, 't-owner').set('authorId', commenter.userId))
    await refused(commenter, (doc) => addThread(doc, 't-forged', '以起草人的名义', who(owner)))
    await refused(commenter, (doc) =>
      addThread(doc, 't-misnamed', '名字不符', { id: commenter.userId, name: '王芳' }),
    )
    await refused(commenter, (doc) =>
      addReply(doc, 't-owner', 'r-forged', '代孙丽回复', who(colleague)),
    )
    await refused(commenter, (doc) => replies(doc, 't-owner').delete(0, 1))
    expect(thread(watcher.doc, 't-owner').get('text')).toBe('请各单位于6月1日前报送')
    expect(thread(watcher.doc, 't-owner').get('resolved')).toBe(false)
    expect(watcher.doc.getMap('comments').has('t-forged')).toBe(false)
    expect(watcher.doc.getMap('comments').has('t-misnamed')).toBe(false)
    expect(
      replies(watcher.doc, 't-owner')
        .toArray()
        .map((r) => (r as { id: string }).id),
    ).toEqual(['r-colleague', 'r-commenter'])
  })

  test('suggestions are decided by editors in their own name, and edited only by their author', async () => {
    await refused(commenter, (doc) =>
      doc.transact(() => {
        suggestion(doc, 's-colleague').set('status', 'rejected')
        suggestion(doc, 's-colleague').set('decidedBy', owner.userId)
        suggestion(doc, 's-colleague').set('decidedAt', Date.now())
      }),
    )
    await refused(commenter, (doc) =>
      doc.transact(() => {
        suggestion(doc, 's-colleague').set('status', 'rejected')
        suggestion(doc, 's-colleague').set('decidedBy', commenter.userId)
        suggestion(doc, 's-colleague').set('decidedAt', Date.now())
      }),
    )
    await refused(commenter, (doc) => suggestion(doc, 's-colleague').set('text', '，不必报送'))
    await refused(commenter, (doc) => doc.getMap('suggestions').delete('s-colleague'))
    await refused(commenter, (doc) => {
      addSuggestion(doc, 's-decided', '自行通过的修订', who(commenter))
      suggestion(doc, 's-decided').set('status', 'accepted')
    })
    await refused(editor, (doc) =>
      doc.transact(() => {
        suggestion(doc, 's-colleague').set('status', 'rejected')
        suggestion(doc, 's-colleague').set('decidedBy', owner.userId)
        suggestion(doc, 's-colleague').set('decidedAt', Date.now())
      }),
    )
    expect(suggestion(watcher.doc, 's-colleague').get('status')).toBe('open')
    await accepted(
      colleague,
      (doc) => suggestion(doc, 's-colleague').set('text', '，务必于6月1日前报送'),
      (doc) => suggestion(doc, 's-colleague').get('text') === '，务必于6月1日前报送',
    )
    await accepted(
      editor,
      (doc) =>
        doc.transact(() => {
          suggestion(doc, 's-colleague').set('status', 'rejected')
          suggestion(doc, 's-colleague').set('decidedBy', editor.userId)
          suggestion(doc, 's-colleague').set('decidedAt', Date.now())
        }),
      (doc) => suggestion(doc, 's-colleague').get('decidedBy') === editor.userId,
    )
    await accepted(
      editor,
      (doc) =>
        doc.transact(() => {
          thread(doc, 't-owner').set('resolved', true)
          thread(doc, 't-owner').set('resolvedBy', editor.userId)
        }),
      (doc) => thread(doc, 't-owner').get('resolvedBy') === editor.userId,
    )
  })

  test('each refusal is audited once per user, room and reason', async () => {
    const before = (await refusalRows()).length
    await refused(commenter, (doc) => thread(doc, 't-owner').set('text', '再改一次'))
    await refused(commenter, (doc) => thread(doc, 't-owner').set('text', '又改一次'))
    const rows = await refusalRows()
    expect(rows.length).toBe(before)
    expect(relay.refusals.suppressed).toBeGreaterThanOrEqual(2)
    const reasons = rows.map((row) => JSON.parse(row.detail) as { reason: string; path?: string })
    expect(reasons.every((r) => typeof r.reason === 'string')).toBe(true)
    expect(new Set(rows.map((row) => row.actor_id))).toEqual(
      new Set([commenter.userId, editor.userId]),
    )
  })
})
