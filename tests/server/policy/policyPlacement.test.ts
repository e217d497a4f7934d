/**
 * The document policy judges an update by where Yjs will put it: a struct that overlaps what its
 * client id already wrote, a struct whose dependencies arrive later, and a struct written with
 * another member's client id. Every attack is a hand-made update sent on a real socket.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { craftUpdate, lastId, updateMessage } from '../../utils/craft'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import { MESSAGE_SYNC } from '../../../shared/protocol/messages'
import { MAX_HELD_UPDATES } from '../../../shared/limits'

type User = { api: ApiClient; userId: string; token: string }

let relay: TestRelay
let owner: User
let editor: User
let commenter: User
const clients: Client[] = []

function track(client: Client): Client {
  clients.push(client)
  return client
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

/** A thread as the editor's comment helpers write it. */
function addThread(
  doc: Y.Doc,
  id: string,
  text: string,
  author: { id: string; name: string },
): void {
  doc.transact(() => {
    const thread = new Y.Map<unknown>()
    doc.getMap('comments').set(id, thread)
    thread.set('id', id)
    thread.set('from', null)
    thread.set('to', null)
    thread.set('quote', '')
    thread.set('authorId', author.id)
    thread.set('authorName', author.name)
    thread.set('createdAt', Date.now())
    thread.set('text', text)
    thread.set('mentions', [])
    thread.set('resolved', false)
    thread.set('resolvedBy', null)
    thread.set('replies', new Y.Array<unknown>())
  })
}

/** A document shared with an editor and a commenter; the editor typed its first paragraph. */
async function sharedDocument(): Promise<{ id: string; a: Client; e: Client }> {
  const id = await owner.api.createDocument('关于做好防汛工作的通知')
  await owner.api.share(id, editor.userId, 'editor')
  await owner.api.share(id, commenter.userId, 'commenter')
  const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
  const e = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
  await Promise.all([synced(a), synced(e)])
  addParagraph(e.doc, '各市人民政府：')
  await waitFor(() => bodyText(a).includes('各市人民政府'), 'first paragraph')
  return { id, a, e }
}

async function refusalReasons(documentId: string): Promise<string[]> {
  const { rows } = await relay.audit.search({ action: 'document.update_refused' }, 100, 0)
  return rows
    .filter((row) => row.target === documentId)
    .map((row) => (JSON.parse(row.detail) as { reason: string }).reason)
}

/** A fresh reader's view of the room, once every earlier message has been handled. */
async function freshView(id: string, token: string): Promise<Client> {
  const fresh = track(connect(relay.wsUrl, `doc:${id}`, token))
  await synced(fresh)
  return fresh
}

beforeAll(async () => {
  relay = await startTestRelay()
  const admin = await adminClient(relay)
  owner = await admin.createUser('drafter', '王芳')
  editor = await admin.createUser('coeditor', '李强')
  commenter = await admin.createUser('reviewer', '赵敏')
})

afterAll(async () => {
  for (const client of clients) {
    client.destroy()
  }
  await relay.close()
})

describe('judging an update where Yjs puts it', () => {
  test('a struct overlapping what its client id wrote in the body is judged in the body, not under comments', async () => {
    const { id, a, e } = await sharedDocument()
    const client = e.doc.clientID
    const clock = Y.getState(e.doc.store, client)
    // The editor becomes a commenter; their client id's last item is a character of the body.
    await owner.api.share(id, editor.userId, 'commenter')
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const code = closed(socket)
    // Claims to be a sequence item of `comments`, but starts one clock before the client's state:
    // Yjs cuts the overlap and links the rest after the client's previous item, in the body.
    const forged = craftUpdate([
      {
        client,
        clock: clock - 1,
        structs: [{ parent: 'comments', content: new Y.ContentString('越权插入的正文') }],
      },
    ])
    socket.send(updateMessage(forged))
    expect(await code).toBe(CloseEvents.updateRefused.code)
    addParagraph(a.doc, '特此通知。')
    const fresh = await freshView(id, owner.token)
    await waitFor(() => bodyText(fresh).includes('特此通知'), 'later edit')
    expect(bodyText(fresh)).not.toContain('插入的正文')
    expect(bodyText(a)).not.toContain('插入的正文')
    expect(await refusalReasons(id)).toContain('commenter_root')
  })

  test('an honest client resending structs the relay already has is not refused for the overlap', async () => {
    const { id, a, e } = await sharedDocument()
    // The editor's device goes on typing in its paragraph: its typed run and the new characters
    // are one struct, from a clock the relay has to one it lacks.
    const copy = new Y.Doc()
    copy.clientID = e.doc.clientID
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(e.doc))
    const paragraph = copy.getXmlFragment('body').get(0)
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
    if (!(text instanceof Y.XmlText)) {
      throw new Error('no text')
    }
    text.insert(text.length, '第二句')
    const overlapping = Y.encodeStateAsUpdate(copy)
    expect(
      Y.decodeUpdate(overlapping).structs.filter((s) => s.id.client === copy.clientID).length,
    ).toBeLessThan(Y.getState(copy.store, copy.clientID))
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const code = closed(socket)
    socket.send(updateMessage(overlapping))
    await waitFor(() => bodyText(a).includes('第二句'), 'the continued sentence')
    expect(bodyText(a)).toContain('各市人民政府：第二句')
    expect(bodyText(a).match(/各市人民政府/g)?.length).toBe(1)
    socket.close()
    expect(await code).toBe(1005)
    expect(await refusalReasons(id)).toEqual([])
  })

  test("a commenter cannot write with another member's client id, even where commenters may write", async () => {
    const { id, a, e } = await sharedDocument()
    const c = track(connect(relay.wsUrl, `doc:${id}`, commenter.token))
    await synced(c)
    addThread(c.doc, 't1', '请核对时限', { id: commenter.userId, name: '赵敏' })
    await waitFor(() => a.doc.getMap('comments').has('t1'), 'thread at the owner')
    const thread = c.doc.getMap('comments').get('t1')
    const replies = thread instanceof Y.Map ? thread.get('replies') : null
    if (!(replies instanceof Y.Array) || replies._item === null) {
      throw new Error('no replies array')
    }
    // A well-formed reply of the commenter's own, written under the editor's client id.
    const victim = e.doc.clientID
    const forged = craftUpdate([
      {
        client: victim,
        clock: Y.getState(e.doc.store, victim),
        structs: [
          {
            parent: replies._item.id,
            content: new Y.ContentAny([
              {
                id: 'r-forged',
                authorId: commenter.userId,
                authorName: '赵敏',
                text: '以编辑的身份写入',
                mentions: [],
                createdAt: Date.now(),
              },
            ]),
          },
        ],
      },
    ])
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${commenter.token}`)
    const code = closed(socket)
    socket.send(updateMessage(forged))
    expect(await code).toBe(CloseEvents.updateRefused.code)
    const fresh = await freshView(id, owner.token)
    const freshThread = fresh.doc.getMap('comments').get('t1')
    const freshReplies = freshThread instanceof Y.Map ? freshThread.get('replies') : null
    expect(freshReplies instanceof Y.Array ? freshReplies.length : -1).toBe(0)
    expect(await refusalReasons(id)).toContain('client_id_taken')
    // The editor keeps writing with their client id.
    addParagraph(e.doc, '编辑继续写作')
    await waitFor(() => bodyText(a).includes('编辑继续写作'), 'editor still writes')
    expect(e.closeCodes).toEqual([])
  })

  test("the relay's own client id cannot be claimed by a member", async () => {
    const { id, a } = await sharedDocument()
    const loaded = await relay.relay.loadedRoom(`doc:${id}`)
    if (loaded === undefined) {
      throw new Error('room not loaded')
    }
    const serverClient = loaded.doc.clientID
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${owner.token}`)
    const code = closed(socket)
    const forged = craftUpdate([
      {
        client: serverClient,
        clock: Y.getState(loaded.doc.store, serverClient),
        structs: [{ parent: 'meta', parentSub: 'title', content: new Y.ContentAny(['系统改写']) }],
      },
    ])
    socket.send(updateMessage(forged))
    expect(await code).toBe(CloseEvents.updateRefused.code)
    const fresh = await freshView(id, owner.token)
    expect(fresh.doc.getMap('meta').get('title')).not.toBe('系统改写')
    expect(a.closeCodes).toEqual([])
  })
})

/** The 机密 value of finding 4: a ContentJSON overwrite of meta.classification whose origin is missing. */
function classifiedAfterMissingOrigin(
  base: Y.Doc,
  first: number,
  second: number,
): { origin: Uint8Array; value: Uint8Array } {
  const local = new Y.Doc()
  local.clientID = first
  Y.applyUpdate(local, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(local)
  local.getMap('meta').set('classification', 'none')
  const origin = Y.encodeStateAsUpdate(local, before)
  const value = craftUpdate([
    {
      client: second,
      clock: 0,
      structs: [{ origin: lastId(local, first), content: new Y.ContentJSON(['机密']) }],
    },
  ])
  return { origin, value }
}

describe('updates whose dependencies are missing', () => {
  test('a 机密 value sent before its missing origin is never integrated unjudged', async () => {
    const { id, a } = await sharedDocument()
    const { origin, value } = classifiedAfterMissingOrigin(a.doc, 0x5a5a01, 0x5a5a02)
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    socket.send(updateMessage(value))
    socket.send(updateMessage(origin))
    await waitFor(() => a.doc.getMap('meta').get('classification') !== undefined, 'origin', 8000)
    const fresh = await freshView(id, owner.token)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(fresh.doc.getMap('meta').get('classification')).toBe('none')
    expect(a.doc.getMap('meta').get('classification')).toBe('none')
    socket.close()
  })

  test('a held update is judged when its origin arrives from another socket, and refused', async () => {
    const { id, a } = await sharedDocument()
    const { origin, value } = classifiedAfterMissingOrigin(a.doc, 0x5a5b01, 0x5a5b02)
    const first = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const refused = closed(first)
    first.send(updateMessage(value))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const second = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    second.send(updateMessage(origin))
    expect(await refused).toBe(CloseEvents.classifiedRefused.code)
    await waitFor(() => a.doc.getMap('meta').get('classification') === 'none', 'origin applied')
    const fresh = await freshView(id, owner.token)
    expect(fresh.doc.getMap('meta').get('classification')).toBe('none')
    expect(await refusalReasons(id)).toContain('classified')
    second.close()
  })

  test("the save barrier is not answered while the sender's update waits for what it depends on", async () => {
    const { id, a } = await sharedDocument()
    // An honest reply whose thread arrives later, from the editor's other device.
    const other = new Y.Doc()
    other.clientID = 0x5a5c01
    Y.applyUpdate(other, Y.encodeStateAsUpdate(a.doc))
    const before = Y.encodeStateVector(other)
    addThread(other, 't-late', '稍后到达的批注', { id: editor.userId, name: '李强' })
    const threadUpdate = Y.encodeStateAsUpdate(other, before)
    const device = new Y.Doc()
    device.clientID = 0x5a5c02
    Y.applyUpdate(device, Y.encodeStateAsUpdate(other))
    const deviceBefore = Y.encodeStateVector(device)
    const thread = device.getMap('comments').get('t-late')
    const replies = thread instanceof Y.Map ? thread.get('replies') : null
    if (!(replies instanceof Y.Array)) {
      throw new Error('no replies')
    }
    replies.push([
      {
        id: 'r1',
        authorId: editor.userId,
        authorName: '李强',
        text: '补充',
        mentions: [],
        createdAt: 1,
      },
    ])
    const replyUpdate = Y.encodeStateAsUpdate(device, deviceBefore)

    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const answers: number[] = []
    socket.on('message', (data: ArrayBuffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) === MESSAGE_SYNC) {
        answers.push(decoding.readVarUint(decoder))
      }
    })
    // The relay's own step 1 may come with the upgrade, before this listener: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100))
    answers.length = 0
    socket.send(updateMessage(replyUpdate))
    const barrier = encoding.createEncoder()
    encoding.writeVarUint(barrier, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(barrier, device)
    socket.send(encoding.toUint8Array(barrier))
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(answers).not.toContain(syncProtocol.messageYjsSyncStep2)

    const second = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    second.send(updateMessage(threadUpdate))
    await waitFor(() => answers.includes(syncProtocol.messageYjsSyncStep2), 'barrier answered')
    const seen = a.doc.getMap('comments').get('t-late')
    await waitFor(() => {
      const list = seen instanceof Y.Map ? seen.get('replies') : null
      return list instanceof Y.Array && list.length === 1
    }, 'the reply at the owner')
    socket.close()
    second.close()
  })

  test('a connection whose waiting updates pile up is closed with 4409 (resync), none of them applied', async () => {
    const { id, a } = await sharedDocument()
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const code = closed(socket)
    // Each one waits for a struct nobody sends.
    for (let i = 0; i < MAX_HELD_UPDATES + 1; i++) {
      const waiting = craftUpdate([
        {
          client: 0x5a6000 + i,
          clock: 0,
          structs: [{ origin: Y.createID(0x5a7000, i), content: new Y.ContentAny([i]) }],
        },
      ])
      socket.send(updateMessage(waiting))
    }
    expect(await code).toBe(CloseEvents.resync.code)
    addParagraph(a.doc, '之后的正常编辑')
    const fresh = await freshView(id, owner.token)
    await waitFor(() => bodyText(fresh).includes('之后的正常编辑'), 'later edit')
    expect(fresh.doc.store.clients.has(0x5a6000)).toBe(false)
    expect(relay.policy.stats.held).toBeGreaterThanOrEqual(MAX_HELD_UPDATES)
  })

  test('an update naming a client twice, as Yjs would read only its last section, is refused as malformed', async () => {
    const { id, a } = await sharedDocument()
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const code = closed(socket)
    const twice = craftUpdate([
      {
        client: 0x5a5d01,
        clock: 0,
        structs: [{ parent: 'meta', parentSub: 'title', content: new Y.ContentAny(['甲']) }],
      },
      {
        client: 0x5a5d01,
        clock: 0,
        structs: [{ parent: 'meta', parentSub: 'urgency', content: new Y.ContentAny(['特急']) }],
      },
    ])
    socket.send(updateMessage(twice))
    expect(await code).toBe(CloseEvents.badMessage.code)
    const fresh = await freshView(id, owner.token)
    expect(fresh.doc.getMap('meta').get('urgency')).toBeUndefined()
    expect(a.closeCodes).toEqual([])
  })
})
