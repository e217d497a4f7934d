/**
 * Issue 17, finding 8: an activation-code session may only set the password; a password change
 * ends the account's other sessions and their sockets; a socket closes when its session expires;
 * common passwords are refused; usernames are unique without regard to case.
 */
import WebSocket from 'ws'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  ApiClient,
  USER_PASSWORD,
  adminClient,
  createTestDatabase,
  startTestRelay,
} from '../../utils/relay'
import type { TestDatabase, TestRelay } from '../../utils/relay'
import { connect, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import type { ApiAuditEntry } from '../../../shared/api'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Opens a raw socket. @returns how the relay closed it, or `kept` when it was still open after a
 * second (then the test closes it). A refused upgrade opens and closes at once with the reason.
 */
function socketFate(url: string): Promise<{ code: number; reason: string } | 'kept'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url)
    const timer = setTimeout(() => {
      resolve('kept')
      socket.close()
    }, 1000)
    socket.on('error', () => undefined)
    socket.on('close', (code, reason) => {
      clearTimeout(timer)
      resolve({ code, reason: reason.toString() })
    })
  })
}

interface Setup {
  readonly name: string
  readonly postgres: boolean
  readonly nodes: number
}

describe.each<Setup>([
  { name: 'one node on SQLite', postgres: false, nodes: 1 },
  { name: 'two nodes on one PostgreSQL and one Redis', postgres: true, nodes: 2 },
])('accounts and sessions, $name', (setup) => {
  let database: TestDatabase | null = null
  const nodes: TestRelay[] = []
  const clients: Client[] = []
  let admin: ApiClient
  /** The node a second device of the same person talks to. */
  const other = () => nodes[nodes.length - 1]!

  beforeAll(async () => {
    database = setup.postgres ? await createTestDatabase() : null
    const redisPrefix = `qilu-test-sessions-${process.pid}-${Date.now()}`
    for (let i = 0; i < setup.nodes; i++) {
      nodes.push(
        await startTestRelay({
          databaseUrl: database?.url ?? null,
          redisUrl: setup.nodes > 1 ? REDIS_URL : null,
          redisPrefix,
        }),
      )
    }
    admin = await adminClient(nodes[0]!)
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
    for (const node of nodes) {
      await node.close()
    }
    await database?.drop()
  })

  test('an activation-code session may read itself, set the password and log out, nothing else, and opens no socket', async () => {
    const created = await admin.request<{ id: string; activationCode: string }>(
      'POST',
      '/admin/users',
      {
        username: 'newbie',
        displayName: '新人',
      },
    )
    const code = created.body.activationCode
    const first = await new ApiClient(nodes[0]!.url).login('newbie', code)
    expect((await first.api.request('GET', '/auth/me')).status).toBe(200)
    for (const [method, route, body] of [
      ['GET', '/documents'],
      ['POST', '/documents', { title: '抢先起草' }],
      ['GET', '/directory/search?q=a'],
      ['GET', '/auth/sessions'],
      ['GET', '/inbox'],
      ['GET', '/units'],
    ] as [string, string, unknown?][]) {
      const refused = await first.api.request<{ error: { code: string; message: string } }>(
        method,
        route,
        body,
      )
      expect(refused.status, `${method} ${route}`).toBe(403)
      expect(refused.body.error.code).toBe('password_change_required')
      expect(refused.body.error.message).toContain('请先设置新密码')
    }
    expect(
      await socketFate(`${other().wsUrl}/inbox:${created.body.id}?token=${first.token}`),
    ).toEqual({
      code: CloseEvents.passwordChangeRequired.code,
      reason: CloseEvents.passwordChangeRequired.reason,
    })
    const audit = await admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      `/admin/audit?action=auth.password_change_required&limit=500`,
    )
    expect(
      audit.body.entries.filter((e) => e.actorId === created.body.id).length,
    ).toBeGreaterThanOrEqual(6)
    expect(JSON.stringify(audit.body.entries)).not.toContain(code)

    expect(
      (
        await first.api.request('POST', '/auth/password', {
          oldPassword: code,
          newPassword: 'Shandong#2026',
        })
      ).status,
    ).toBe(204)
    // The same session now has the full API, and the code is spent.
    expect((await first.api.request('GET', '/documents')).status).toBe(200)
    expect(
      (
        await new ApiClient(nodes[0]!.url).request('POST', '/auth/login', {
          username: 'newbie',
          password: code,
        })
      ).status,
    ).toBe(401)
    expect(await socketFate(`${other().wsUrl}/inbox:${created.body.id}?token=${first.token}`)).toBe(
      'kept',
    )
  })

  test('a password change ends the account’s other sessions and closes their sockets, on any node', async () => {
    const here = await admin.createUser('mover', '换密码的人')
    const elsewhere = await new ApiClient(other().url).login('mover', USER_PASSWORD)
    const id = await here.api.createDocument('另一台电脑上的稿子')
    const client = connect(other().wsUrl, `doc:${id}`, elsewhere.token)
    clients.push(client)
    await synced(client)
    const started = Date.now()
    expect(
      (
        await here.api.request('POST', '/auth/password', {
          oldPassword: USER_PASSWORD,
          newPassword: 'Qilu#Desk2026',
        })
      ).status,
    ).toBe(204)
    await waitFor(
      () => client.closeCodes.includes(CloseEvents.unauthorized.code),
      'other socket closed',
      2000,
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect((await elsewhere.api.request('GET', '/auth/me')).status).toBe(401)
    expect((await here.api.request('GET', '/auth/me')).status).toBe(200)
  })

  test('common passwords are refused in Chinese, on a change and when an admin sets one', async () => {
    const user = await admin.createUser('weakling', '弱口令')
    for (const newPassword of ['Password@123', 'P@ssw0rd1', 'Qwerty123!']) {
      const answer = await user.api.request<{ error: { code: string; message: string } }>(
        'POST',
        '/auth/password',
        {
          oldPassword: USER_PASSWORD,
          newPassword,
        },
      )
      expect(answer.status, newPassword).toBe(400)
      expect(answer.body.error.code).toBe('weak_password')
      expect(answer.body.error.message).toContain('密码过于常见')
    }
    const created = await admin.request<{ error: { code: string } }>('POST', '/admin/users', {
      username: 'weakling2',
      displayName: '弱口令二',
      password: 'Admin@123',
    })
    expect(created.status).toBe(400)
    expect(created.body.error.code).toBe('weak_password')
  })

  test('usernames are unique without regard to case, and log in by any case', async () => {
    expect(
      (
        await admin.request('POST', '/admin/users', {
          username: 'LiMing',
          displayName: '李明',
          password: USER_PASSWORD,
        })
      ).status,
    ).toBe(201)
    const clash = await admin.request<{ error: { code: string } }>('POST', '/admin/users', {
      username: 'liming',
      displayName: '另一个李明',
      password: USER_PASSWORD,
    })
    expect(clash.status).toBe(409)
    const signedIn = await new ApiClient(other().url).request<{ user: { username: string } }>(
      'POST',
      '/auth/login',
      {
        username: 'LIMING',
        password: USER_PASSWORD,
      },
    )
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.user.username).toBe('LiMing')
    const response = await fetch(`${nodes[0]!.url}/api/v1/admin/imports?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
      body: '用户名,姓名,单位代码\nLIMING,李明,none\n',
    })
    const result = (await response.json()) as { errors: { row: number; reason: string }[] }
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, reason: '用户名已存在' })])
    // The database itself refuses a second spelling, whoever writes it.
    const row = await nodes[0]!.storage.users.byUsername('liming')
    expect(row).not.toBeNull()
    await expect(
      nodes[0]!.storage.users.insert({ ...row!, id: 'another-id', username: 'LIMING' }),
    ).rejects.toThrow()
  })
})

describe('a socket whose session expires', () => {
  let relay: TestRelay
  let admin: ApiClient
  const IDLE_MS = 1500

  beforeAll(async () => {
    relay = await startTestRelay({ sessionIdleMs: IDLE_MS })
  })

  beforeEach(async () => {
    // The admin's own session would expire between the tests too.
    admin = await adminClient(relay)
  })

  afterAll(async () => {
    await relay?.close()
  })

  test('closes with 4401 once the session has been idle for QILU_SESSION_IDLE_MS', async () => {
    // The session's idle time runs from its last recorded use (at sign-in, or a request at most
    // a quarter of the idle time later), so the earliest it may end is a full idle time after the
    // sign-in began, however slowly the steps below run on a busy machine.
    const signingIn = Date.now()
    const user = await admin.createUser('idler', '闲置')
    const id = await user.api.createDocument('放着不动')
    const client = connect(relay.wsUrl, `doc:${id}`, user.token)
    await synced(client)
    await waitFor(
      () => client.closeCodes.includes(CloseEvents.unauthorized.code),
      'expired socket closed',
      IDLE_MS + 3000,
    )
    expect(Date.now() - signingIn).toBeGreaterThanOrEqual(IDLE_MS)
    client.destroy()
    expect((await user.api.request('GET', '/auth/me')).status).toBe(401)
  })

  test('stays open while its user keeps editing, and closes once they stop', async () => {
    const user = await admin.createUser('typist', '打字员')
    const id = await user.api.createDocument('一直在写')
    const client = connect(relay.wsUrl, `doc:${id}`, user.token)
    await synced(client)
    const typing = setInterval(() => client.doc.getText('text').insert(0, '字'), 200)
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2.5))
    clearInterval(typing)
    expect(client.closeCodes).toEqual([])
    expect((await user.api.request('GET', '/auth/me')).status).toBe(200)
    await waitFor(
      () => client.closeCodes.includes(CloseEvents.unauthorized.code),
      'socket closed after typing stopped',
      IDLE_MS + 3000,
    )
    client.destroy()
  })
})
