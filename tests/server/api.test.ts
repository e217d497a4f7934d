/**
 * The §6 contract, black box: only HTTP. With QILU_CONTRACT_URL set, the same tests run against a
 * relay that is already running (e.g. a production start of a built tree, whose admin password is
 * ADMIN_PASSWORD), with usernames made unique to this run; otherwise against a fresh test relay.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiClient, USER_PASSWORD, adminClient, startTestRelay } from '../utils/relay'

const external = process.env.QILU_CONTRACT_URL
/** A suffix that keeps this run's accounts apart from earlier runs' on a long-lived relay. */
const run = external === undefined ? '' : `_${Date.now().toString(36)}`
const username = (base: string): string => `${base}${run}`

let relay: { url: string; close(): Promise<void> }
let admin: ApiClient
let anonymous: ApiClient

beforeAll(async () => {
  relay =
    external === undefined
      ? await startTestRelay()
      : { url: external.replace(/\/$/, ''), close: async () => {} }
  admin = await adminClient(relay)
  anonymous = new ApiClient(relay.url)
})

afterAll(async () => {
  await relay.close()
})

describe('the HTTP API', () => {
  test('health answers 200 and unknown routes answer a JSON 404', async () => {
    expect((await anonymous.request('GET', '/health')).status).toBe(200)
    const missing = await anonymous.request('GET', '/nothing-here')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } })
  })

  test('login returns a token and the user; a wrong password is 401 in the error shape', async () => {
    const ok = await anonymous.request<{
      token: string
      user: { username: string; roles: string[] }
    }>('POST', '/auth/login', { username: 'admin', password: 'Qilu#Root2026' })
    expect(ok.status).toBe(200)
    expect(ok.body.token.length).toBeGreaterThan(30)
    expect(ok.body.user).toMatchObject({ username: 'admin', roles: ['sysadmin'] })
    const bad = await anonymous.request('POST', '/auth/login', {
      username: 'admin',
      password: 'nope',
    })
    expect(bad.status).toBe(401)
    expect(bad.body).toMatchObject({ error: { code: 'invalid_credentials' } })
  })

  test('malformed bodies are refused with 400 and a reason', async () => {
    const noPassword = await anonymous.request('POST', '/auth/login', { username: 'admin' })
    expect(noPassword.status).toBe(400)
    expect(noPassword.body).toMatchObject({ error: { code: 'bad_request' } })
    const response = await fetch(`${relay.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'bad_request' } })
  })

  test('the sixth failed login, and the right password during the lockout, answer 423', async () => {
    await admin.createUser(username('lockme'), '锁定')
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await anonymous.request('POST', '/auth/login', {
            username: username('lockme'),
            password: 'wrong',
          })
        ).status,
      ).toBe(401)
    }
    const sixth = await anonymous.request<{ error: { message: string } }>('POST', '/auth/login', {
      username: username('lockme'),
      password: 'wrong',
    })
    expect(sixth.status).toBe(423)
    expect(sixth.body.error.message).toMatch(/\d{4}-\d{2}-\d{2}T/)
    const right = await anonymous.request('POST', '/auth/login', {
      username: username('lockme'),
      password: USER_PASSWORD,
    })
    expect(right.status).toBe(423)
  })

  test('an account made without a password logs in once with its activation code and must set a password', async () => {
    const created = await admin.request<{ id: string; activationCode: string }>(
      'POST',
      '/admin/users',
      {
        username: username('newcomer'),
        displayName: '新同事',
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.activationCode).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/)
    const first = await anonymous.login(username('newcomer'), created.body.activationCode)
    const me = await first.api.request<{ user: { mustChangePassword: boolean } }>('GET', '/auth/me')
    expect(me.body.user.mustChangePassword).toBe(true)
    const weak = await first.api.request<{ error: { code: string } }>('POST', '/auth/password', {
      oldPassword: created.body.activationCode,
      newPassword: `${username('newcomer')}#Pass1`,
    })
    expect(weak.status).toBe(400)
    expect(weak.body.error.code).toBe('weak_password')
    const set = await first.api.request('POST', '/auth/password', {
      oldPassword: created.body.activationCode,
      newPassword: 'Shandong#2026',
    })
    expect(set.status).toBe(204)
    // The activation code is spent.
    expect(
      (
        await anonymous.request('POST', '/auth/login', {
          username: username('newcomer'),
          password: created.body.activationCode,
        })
      ).status,
    ).toBe(401)
    await anonymous.login(username('newcomer'), 'Shandong#2026')
  })

  test('only admins provision accounts, and a created password must meet the policy', async () => {
    const plain = await admin.createUser(username('plain'), '普通用户')
    expect(
      (await plain.api.request('POST', '/admin/users', { username: 'x1', displayName: 'x' }))
        .status,
    ).toBe(403)
    const weak = await admin.request('POST', '/admin/users', {
      username: 'x2',
      displayName: 'x',
      password: 'short',
    })
    expect(weak.status).toBe(400)
    const taken = await admin.request('POST', '/admin/users', {
      username: username('plain'),
      displayName: 'x',
    })
    expect(taken.status).toBe(409)
    expect(
      (await anonymous.request('POST', '/admin/users', { username: 'x3', displayName: 'x' }))
        .status,
    ).toBe(401)
  })

  test('documents are visible to members only; only the owner manages members', async () => {
    const owner = await admin.createUser(username('docowner'), '所有者')
    const other = await admin.createUser(username('docother'), '他人')
    const created = await owner.api.request<{ id: string; role: string }>('POST', '/documents', {
      title: '  关于印发的通知  ',
    })
    expect(created.status).toBe(201)
    expect(created.body.role).toBe('owner')
    const id = created.body.id
    expect((await other.api.request('GET', `/documents/${id}`)).status).toBe(403)
    expect((await other.api.request('GET', '/documents/does-not-exist')).status).toBe(404)
    expect((await owner.api.request('POST', '/documents', { title: '' })).status).toBe(400)
    expect(
      (
        await owner.api.request('PUT', `/documents/${id}/members/${other.userId}`, {
          role: 'owner',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await owner.api.request('PUT', `/documents/${id}/members/${other.userId}`, {
          role: 'reader',
        })
      ).status,
    ).toBe(200)
    const seen = await other.api.request<{ title: string; role: string }>('GET', `/documents/${id}`)
    expect(seen.body).toMatchObject({ title: '关于印发的通知', role: 'reader' })
    expect(
      (
        await other.api.request('PUT', `/documents/${id}/members/${other.userId}`, {
          role: 'editor',
        })
      ).status,
    ).toBe(403)
    expect((await other.api.request('PATCH', `/documents/${id}`, { title: '改' })).status).toBe(403)
    const list = await other.api.request<{ documents: { id: string }[] }>('GET', '/documents')
    expect(list.body.documents.map((d) => d.id)).toEqual([id])
    const members = await owner.api.request<{ members: { username: string; role: string }[] }>(
      'GET',
      `/documents/${id}/members`,
    )
    expect(members.body.members.map((m) => `${m.username}:${m.role}`)).toEqual([
      `${username('docother')}:reader`,
      `${username('docowner')}:owner`,
    ])
    const people = await other.api.request<{ users: { username: string }[] }>('GET', '/users?q=doc')
    // (On a long-lived relay, earlier runs' accounts match too: look at this run's.)
    // The picker lists 通讯录 matches in pinyin order of the names; compare the set.
    expect(
      people.body.users
        .map((u) => u.username)
        .filter((name) => name.endsWith(run))
        .sort(),
    ).toEqual([username('docother'), username('docowner')])
  })
})
