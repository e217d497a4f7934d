import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { adminClient, createTestDatabase, startTestRelay } from '../../utils/relay'
import type { TestDatabase, TestRelay, ApiClient } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { appendParagraph, bodyParagraphs, docFromBase64, paragraphText } from '../../utils/body'
import type { DocumentAuthor, DocumentVersion, DocumentVersionBody } from '../../../shared/api'

type Person = { api: ApiClient; userId: string; token: string }

const backends = [
  { name: 'SQLite', database: async (): Promise<TestDatabase | null> => null },
  { name: 'PostgreSQL', database: (): Promise<TestDatabase | null> => createTestDatabase() },
]

/** A relay with its people; `timing` chooses how eagerly automatic versions come. */
async function setUp(database: TestDatabase | null, quietMs: number, minIntervalMs: number) {
  const relay = await startTestRelay({
    databaseUrl: database?.url ?? null,
    versions: { quietMs, minIntervalMs },
  })
  const admin = await adminClient(relay)
  const owner = await admin.createUser('zhangsan', '张三')
  const editor = await admin.createUser('lisi', '李四')
  const reader = await admin.createUser('wangwu', '王五')
  const stranger = await admin.createUser('zhaoliu', '赵六')
  return { relay, admin, owner, editor, reader, stranger }
}

async function serverParagraphs(relay: TestRelay, documentId: string): Promise<string[]> {
  const room = relay.relay.loadedRoom(`doc:${documentId}`)
  return room === undefined ? [] : bodyParagraphs((await room).doc)
}

async function waitForServer(
  relay: TestRelay,
  documentId: string,
  expected: string[],
): Promise<void> {
  let last: string[] = []
  const deadline = Date.now() + 5000
  while (JSON.stringify(last) !== JSON.stringify(expected)) {
    if (Date.now() > deadline) {
      throw new Error(
        `server body is ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    last = await serverParagraphs(relay, documentId)
  }
}

async function versionsOf(person: Person, documentId: string): Promise<DocumentVersion[]> {
  const { status, body } = await person.api.request<{ versions: DocumentVersion[] }>(
    'GET',
    `/documents/${documentId}/versions`,
  )
  expect(status).toBe(200)
  return body.versions
}

/** A PermanentUserData filled from GET /authors, as the client builds it for y-prosemirror. */
function permanentUserData(authors: readonly DocumentAuthor[]): Y.PermanentUserData {
  const doc = new Y.Doc()
  const users = doc.getMap<Y.Map<unknown>>('users')
  for (const author of authors) {
    const user = new Y.Map<unknown>()
    user.set('ids', Y.Array.from([...author.clientIds]))
    user.set('ds', Y.Array.from([new Uint8Array(Buffer.from(author.deletions, 'base64'))]))
    users.set(author.userId, user)
  }
  return new Y.PermanentUserData(doc, users)
}

describe.each(backends)('versions on $name', ({ database: makeDatabase }) => {
  let database: TestDatabase | null
  let env: Awaited<ReturnType<typeof setUp>>
  const clients: Client[] = []

  beforeAll(async () => {
    database = await makeDatabase()
    // Automatic versions are kept out of the way here: one quiet spell would take an hour.
    env = await setUp(database, 3_600_000, 3_600_000)
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    await env.relay.close()
    await database?.drop()
  })

  test('named versions keep each state; members read them, only editors and the owner name and restore', async () => {
    const { relay, owner, editor, reader, stranger } = env
    const id = await owner.api.createDocument('关于做好防汛工作的通知')
    await owner.api.share(id, editor.userId, 'editor')
    await owner.api.share(id, reader.userId, 'reader')

    const a = connect(relay.wsUrl, `doc:${id}`, owner.token, new Y.Doc({ gc: false }))
    clients.push(a)
    await synced(a)
    appendParagraph(a.doc, '各市人民政府要切实做好防汛准备工作')
    await waitForServer(relay, id, ['各市人民政府要切实做好防汛准备工作'])

    const first = await owner.api.request<DocumentVersion>('POST', `/documents/${id}/versions`, {
      name: '初稿',
    })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      kind: 'named',
      name: '初稿',
      createdBy: { userId: owner.userId, displayName: '张三' },
    })
    expect(first.body.authors).toEqual([{ userId: owner.userId, displayName: '张三' }])

    expect(
      (await reader.api.request('POST', `/documents/${id}/versions`, { name: '读者' })).status,
    ).toBe(403)
    expect(
      (await owner.api.request('POST', `/documents/${id}/versions`, { name: '  ' })).status,
    ).toBe(400)
    expect((await stranger.api.request('GET', `/documents/${id}/versions`)).status).toBe(403)
    expect((await versionsOf(reader, id)).map((v) => v.name)).toEqual(['初稿'])

    // The editor deletes the owner's first four characters and adds a paragraph of their own.
    const b = connect(relay.wsUrl, `doc:${id}`, editor.token, new Y.Doc({ gc: false }))
    clients.push(b)
    await synced(b)
    await waitFor(() => bodyParagraphs(b.doc).length === 1, 'editor sees the body')
    paragraphText(b.doc, 0).delete(0, 4)
    appendParagraph(b.doc, '李四补充：汛期值班安排另行通知')
    const second = ['政府要切实做好防汛准备工作', '李四补充：汛期值班安排另行通知']
    await waitForServer(relay, id, second)

    const named = await editor.api.request<DocumentVersion>('POST', `/documents/${id}/versions`, {
      name: '二稿',
    })
    expect(named.status).toBe(201)
    expect(named.body.authors.map((p) => p.displayName)).toEqual(['李四'])

    // Any member reads a version's state; it renders the document as it was.
    const v1 = await reader.api.request<DocumentVersionBody>(
      'GET',
      `/documents/${id}/versions/${first.body.id}`,
    )
    expect(v1.status).toBe(200)
    expect(v1.body.version.name).toBe('初稿')
    expect(bodyParagraphs(docFromBase64(v1.body.state))).toEqual([
      '各市人民政府要切实做好防汛准备工作',
    ])
    const raw = await fetch(`${relay.url}/api/v1/documents/${id}/versions/${first.body.id}`, {
      headers: { authorization: `Bearer ${reader.token}`, accept: 'application/octet-stream' },
    })
    expect(raw.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await raw.arrayBuffer()).toString('base64')).toBe(v1.body.state)
    expect(raw.headers.get('x-yjs-snapshot')).toBe(v1.body.snapshot)

    // 留痕: the later state still holds what the editor deleted, so the earlier version can be
    // rendered from it, and each change is attributed to its author.
    const v2 = await owner.api.request<DocumentVersionBody>(
      'GET',
      `/documents/${id}/versions/${named.body.id}`,
    )
    const history = docFromBase64(v2.body.state)
    const before = Y.createDocFromSnapshot(
      history,
      Y.decodeSnapshot(Buffer.from(v1.body.snapshot, 'base64')),
    )
    expect(bodyParagraphs(before)).toEqual(['各市人民政府要切实做好防汛准备工作'])
    const v2v = await owner.api.request<DocumentVersionBody>(
      'GET',
      `/documents/${id}/versions/${named.body.id}?format=v2`,
    )
    expect(v2v.body.format).toBe('v2')
    const fromV2 = new Y.Doc({ gc: false })
    Y.applyUpdateV2(fromV2, Buffer.from(v2v.body.state, 'base64'))
    expect(bodyParagraphs(fromV2)).toEqual(second)

    const authors = await reader.api.request<{ authors: DocumentAuthor[] }>(
      'GET',
      `/documents/${id}/authors`,
    )
    expect(authors.status).toBe(200)
    const pud = permanentUserData(authors.body.authors)
    expect(pud.getUserByClientId(a.doc.clientID)).toBe(owner.userId)
    expect(pud.getUserByClientId(b.doc.clientID)).toBe(editor.userId)
    const ownerText = paragraphText(history, 0)
    const deletedId = ownerText._start?.id
    expect(deletedId?.client).toBe(a.doc.clientID)
    expect(ownerText._start?.deleted).toBe(true)
    expect(deletedId === undefined ? null : pud.getUserByDeletedId(deletedId)).toBe(editor.userId)
    expect(authors.body.authors.find((x) => x.userId === editor.userId)).toMatchObject({
      displayName: '李四',
    })
    expect(authors.body.authors[0]?.color).toMatch(/^#[0-9a-f]{6}$/i)
    expect((await stranger.api.request('GET', `/documents/${id}/authors`)).status).toBe(403)

    // Restore: a reader may not; an editor brings 初稿 back as a new change on top.
    expect(
      (await reader.api.request('POST', `/documents/${id}/versions/${first.body.id}/restore`, {}))
        .status,
    ).toBe(403)
    const restored = await editor.api.request<DocumentVersion>(
      'POST',
      `/documents/${id}/versions/${first.body.id}/restore`,
      {},
    )
    expect(restored.status).toBe(200)
    expect(restored.body).toMatchObject({
      kind: 'restore',
      restoredFrom: first.body.id,
      name: '恢复至：初稿',
    })
    await waitFor(
      () =>
        JSON.stringify(bodyParagraphs(a.doc)) ===
        JSON.stringify(['各市人民政府要切实做好防汛准备工作']),
      'owner sees the restore',
    )
    await waitFor(() => bodyParagraphs(b.doc).length === 1, 'editor sees the restore')
    expect((await versionsOf(owner, id)).map((v) => `${v.kind}:${v.name}`)).toEqual([
      'restore:恢复至：初稿',
      'named:二稿',
      'named:初稿',
    ])
    const audit = await relay.audit.search({ action: 'doc.version_restored' }, 10, 0)
    expect(audit.rows.some((r) => r.target === id && r.actor_id === editor.userId)).toBe(true)

    // History is never rewritten: the live state still renders 二稿 exactly, even after the room
    // unloads and its log is compacted.
    a.destroy()
    b.destroy()
    await waitFor(() => relay.relay.roomCount === 0, 'room unloads', 5000)
    const live = await owner.api.request<{ state: string; snapshot: string }>(
      'GET',
      `/documents/${id}/state`,
    )
    const liveDoc = docFromBase64(live.body.state)
    expect(bodyParagraphs(liveDoc)).toEqual(['各市人民政府要切实做好防汛准备工作'])
    const atSecond = Y.createDocFromSnapshot(
      liveDoc,
      Y.decodeSnapshot(Buffer.from(v2.body.snapshot, 'base64')),
    )
    expect(bodyParagraphs(atSecond)).toEqual(second)
    // The restore's re-inserted text is the editor's.
    const restoredText = paragraphText(liveDoc, 0)
    const pudAfter = permanentUserData(
      (await owner.api.request<{ authors: DocumentAuthor[] }>('GET', `/documents/${id}/authors`))
        .body.authors,
    )
    expect(pudAfter.getUserByClientId(restoredText._start?.id.client ?? -1)).toBe(editor.userId)
  })

  test('a restore keeps the current state as a version first when it changed since the last one', async () => {
    const { relay, owner } = env
    const id = await owner.api.createDocument('版本测试')
    const a = connect(relay.wsUrl, `doc:${id}`, owner.token)
    clients.push(a)
    await synced(a)
    appendParagraph(a.doc, '第一段')
    await waitForServer(relay, id, ['第一段'])
    const first = await owner.api.request<DocumentVersion>('POST', `/documents/${id}/versions`, {
      name: 'A',
    })
    appendParagraph(a.doc, '第二段')
    await waitForServer(relay, id, ['第一段', '第二段'])
    const restored = await owner.api.request<DocumentVersion>(
      'POST',
      `/documents/${id}/versions/${first.body.id}/restore`,
      {},
    )
    expect(restored.status).toBe(200)
    const list = await versionsOf(owner, id)
    expect(list.map((v) => `${v.kind}:${v.name}`)).toEqual([
      'restore:恢复至：A',
      'auto:恢复前自动保存',
      'named:A',
    ])
    const saved = await owner.api.request<DocumentVersionBody>(
      'GET',
      `/documents/${id}/versions/${list[1]?.id ?? ''}`,
    )
    expect(bodyParagraphs(docFromBase64(saved.body.state))).toEqual(['第一段', '第二段'])
    await waitFor(() => bodyParagraphs(a.doc).length === 1, 'the restore reaches the client')
    expect((await owner.api.request('GET', `/documents/${id}/versions/nope`)).status).toBe(404)
    a.destroy()
  })
})

describe.each(backends)('automatic versions on $name', ({ database: makeDatabase }) => {
  let database: TestDatabase | null
  let env: Awaited<ReturnType<typeof setUp>>

  beforeAll(async () => {
    database = await makeDatabase()
    env = await setUp(database, 300, 2500)
  })

  afterAll(async () => {
    await env.relay.close()
    await database?.drop()
  })

  test('a changed document gets a version when it goes quiet, at most one per interval', async () => {
    const { relay, owner } = env
    const id = await owner.api.createDocument('自动版本')
    const a = connect(relay.wsUrl, `doc:${id}`, owner.token)
    await synced(a)
    appendParagraph(a.doc, '第一次修改')
    const auto = async (): Promise<DocumentVersion[]> =>
      (await versionsOf(owner, id)).filter((v) => v.kind === 'auto')
    let list: DocumentVersion[] = []
    const deadline = Date.now() + 5000
    while (list.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      list = await auto()
    }
    expect(list).toHaveLength(1)
    expect(list[0]?.authors).toEqual([{ userId: owner.userId, displayName: '张三' }])
    const firstAt = Date.parse(list[0]?.createdAt ?? '')

    appendParagraph(a.doc, '第二次修改')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await auto()).toHaveLength(1)
    // Once the interval has passed the pending change gets its version.
    const until = Date.now() + 6000
    while ((list = await auto()).length < 2 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(list).toHaveLength(2)
    expect(Date.parse(list[0]?.createdAt ?? '') - firstAt).toBeGreaterThanOrEqual(2500)
    const state = await owner.api.request<DocumentVersionBody>(
      'GET',
      `/documents/${id}/versions/${list[0]?.id ?? ''}`,
    )
    expect(bodyParagraphs(docFromBase64(state.body.state))).toEqual(['第一次修改', '第二次修改'])
    a.destroy()
  })

  test('a document whose room unloads before the quiet spell ends still gets its version', async () => {
    const { relay, editor, owner } = env
    const id = await owner.api.createDocument('关闭即保存')
    await owner.api.share(id, editor.userId, 'editor')
    const b = connect(relay.wsUrl, `doc:${id}`, editor.token)
    await synced(b)
    appendParagraph(b.doc, '写完就关')
    await waitForServer(relay, id, ['写完就关'])
    b.destroy()
    let list: DocumentVersion[] = []
    const deadline = Date.now() + 5000
    while (list.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      list = await versionsOf(owner, id)
    }
    expect(list.map((v) => v.kind)).toEqual(['auto'])
    expect(list[0]?.authors.map((p) => p.displayName)).toEqual(['李四'])
  })
})
