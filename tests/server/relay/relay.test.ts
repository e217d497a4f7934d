import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { ApiClient, adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced, text, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import { MAX_MESSAGE_BYTES } from '../../../shared/limits'
import { MESSAGE_SYNC } from '../../../shared/protocol/messages'

let relay: TestRelay
let admin: ApiClient
let owner: { api: ApiClient; userId: string; token: string }
let editor: { api: ApiClient; userId: string; token: string }
let reader: { api: ApiClient; userId: string; token: string }
let stranger: { api: ApiClient; userId: string; token: string }
const clients: Client[] = []

function track(client: Client): Client {
  clients.push(client)
  return client
}

async function sharedDocument(): Promise<string> {
  const id = await owner.api.createDocument('测试文档')
  await owner.api.share(id, editor.userId, 'editor')
  await owner.api.share(id, reader.userId, 'reader')
  return id
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

beforeAll(async () => {
  relay = await startTestRelay()
  admin = await adminClient(relay)
  owner = await admin.createUser('owner', '王芳')
  editor = await admin.createUser('editor', '李强')
  reader = await admin.createUser('reader', '赵敏')
  stranger = await admin.createUser('stranger', '陌生人')
})

afterAll(async () => {
  for (const client of clients) {
    client.destroy()
  }
  await relay.close()
})

describe('the relay with the stock y-websocket provider', () => {
  test('two editors converge on the same text', async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const b = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await Promise.all([synced(a), synced(b)])
    a.doc.getText('text').insert(0, '齐鲁')
    b.doc.getText('text').insert(0, '办公')
    await waitFor(() => text(a).length === 4 && text(a) === text(b), 'convergence')
    expect(text(a)).toContain('齐鲁')
    expect(text(a)).toContain('办公')
  })

  test('a missing or wrong token is refused with 4401', async () => {
    const id = await sharedDocument()
    const none = track(connect(relay.wsUrl, `doc:${id}`, null))
    const wrong = track(connect(relay.wsUrl, `doc:${id}`, 'not-a-token'))
    await waitFor(() => none.closeCodes.length > 0 && wrong.closeCodes.length > 0, 'close')
    expect(none.closeCodes[0]).toBe(CloseEvents.unauthorized.code)
    expect(wrong.closeCodes[0]).toBe(CloseEvents.unauthorized.code)
  })

  test('a user with no right to the room is refused with 4403', async () => {
    const id = await sharedDocument()
    const client = track(connect(relay.wsUrl, `doc:${id}`, stranger.token))
    await waitFor(() => client.closeCodes.length > 0, 'close')
    expect(client.closeCodes[0]).toBe(CloseEvents.forbidden.code)
    expect(client.doc.getText('text').length).toBe(0)
  })

  test('an oversized message closes that socket with 1009 and the room keeps working', async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const b = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await Promise.all([synced(a), synced(b)])
    a.doc.getText('text').insert(0, 'before')
    await waitFor(() => text(b) === 'before', 'first edit')

    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
    const code = closed(socket)
    socket.send(new Uint8Array(MAX_MESSAGE_BYTES + 1024))
    expect(await code).toBe(1009)

    a.doc.getText('text').insert(6, ' after')
    await waitFor(() => text(b) === 'before after', 'edit after the oversized message')
  })

  test('garbage bytes close only the sending connection', async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const b = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await Promise.all([synced(a), synced(b)])

    for (const garbage of [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      new Uint8Array([0, 2, 200, 1, 2, 3]),
      updateMessage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ]) {
      const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${editor.token}`)
      const code = closed(socket)
      socket.send(garbage)
      expect(await code).toBe(CloseEvents.badMessage.code)
    }
    a.doc.getText('text').insert(0, 'still alive')
    await waitFor(() => text(b) === 'still alive', 'room still works')
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
  })

  test("a reader's updates never reach anyone nor the store", async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const r = track(connect(relay.wsUrl, `doc:${id}`, reader.token))
    await Promise.all([synced(a), synced(r)])
    a.doc.getText('text').insert(0, 'official')
    await waitFor(() => text(r) === 'official', 'reader receives edits live')

    r.doc.getText('text').insert(0, 'FORGED ')
    // Also a raw update crafted outside any provider.
    const forged = new Y.Doc()
    forged.getText('text').insert(0, 'RAW FORGERY')
    const socket = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${reader.token}`)
    socket.send(updateMessage(Y.encodeStateAsUpdate(forged)))
    a.doc.getText('text').insert(8, '!')
    await waitFor(() => text(r).includes('official!'), 'later edit')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(text(a)).toBe('official!')
    socket.close()

    // A fresh editor loading from the relay sees no forgery either, after the room unloads.
    a.destroy()
    r.destroy()
    await waitFor(() => relay.relay.loadedRoom(`doc:${id}`) === undefined, 'room unload', 5000)
    const fresh = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await synced(fresh)
    expect(text(fresh)).toBe('official!')
  })

  test('logout closes the sockets opened with that session within a second', async () => {
    const id = await sharedDocument()
    const session = await new ApiClient(relay.url).login('editor', 'Qilu#2026pass')
    const client = track(connect(relay.wsUrl, `doc:${id}`, session.token))
    await synced(client)
    const started = Date.now()
    expect((await session.api.request('POST', '/auth/logout')).status).toBe(204)
    await waitFor(
      () => client.closeCodes.includes(CloseEvents.unauthorized.code),
      'close after logout',
      1000,
    )
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await session.api.request('GET', '/auth/me')).status).toBe(401)
  })

  test("deactivation closes all of the user's sockets within a second", async () => {
    const temp = await admin.createUser('temp', '临时工')
    const id = await owner.api.createDocument('停用测试')
    await owner.api.share(id, temp.userId, 'editor')
    const one = track(connect(relay.wsUrl, `doc:${id}`, temp.token))
    const two = track(connect(relay.wsUrl, `doc:${id}`, temp.token))
    await Promise.all([synced(one), synced(two)])
    const started = Date.now()
    expect((await admin.request('POST', `/admin/users/${temp.userId}/deactivate`)).status).toBe(200)
    await waitFor(
      () =>
        one.closeCodes.includes(CloseEvents.deactivated.code) &&
        two.closeCodes.includes(CloseEvents.deactivated.code),
      'close after deactivation',
      1000,
    )
    expect(Date.now() - started).toBeLessThan(1000)
    expect(
      (
        await new ApiClient(relay.url).request('POST', '/auth/login', {
          username: 'temp',
          password: 'Qilu#2026pass',
        })
      ).status,
    ).toBe(401)
  })

  test('a demoted editor can no longer write and a removed member is disconnected', async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const e = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await Promise.all([synced(a), synced(e)])
    await owner.api.share(id, editor.userId, 'reader')
    await new Promise((resolve) => setTimeout(resolve, 100))
    e.doc.getText('text').insert(0, 'late write')
    a.doc.getText('text').insert(0, 'owner')
    await waitFor(() => text(e).includes('owner'), 'owner edit')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(text(a)).toBe('owner')
    expect(
      (await owner.api.request('DELETE', `/documents/${id}/members/${editor.userId}`)).status,
    ).toBe(204)
    await waitFor(
      () => e.closeCodes.includes(CloseEvents.forbidden.code),
      'removed member closed',
      1000,
    )
  })

  test('presence carries the authenticated name, whatever the client claims', async () => {
    const id = await sharedDocument()
    const a = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    const e = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await Promise.all([synced(a), synced(e)])
    e.provider.awareness.setLocalStateField('user', { name: '省长', color: '#000' })
    await waitFor(() => a.provider.awareness.getStates().has(e.doc.clientID), 'presence')
    const state = a.provider.awareness.getStates().get(e.doc.clientID) as {
      user: { name: string; id: string }
    }
    expect(state.user.name).toBe('李强')
    expect(state.user.id).toBe(editor.userId)
  })
})
