/**
 * The WebSocket refuses an upgrade whose Origin is present and is not the web client's own (the
 * relay's address, or the Host the browser asked for), the desktop client's (which loads the
 * relay's web client, so the same) or one configured in QILU_ALLOWED_ORIGINS: HTTP 403 before the
 * upgrade, audited. Without an Origin (a native client) the token alone decides.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { rawHttp } from '../../utils/rawHttp'
import { loadConfig } from '../../../server/config'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

let relay: TestRelay
let token: string
let documentId: string

beforeAll(async () => {
  relay = await startTestRelay({ allowedOrigins: ['https://oa.example.gov.cn'] })
  const admin = await adminClient(relay)
  const user = await admin.createUser('origin_user', '孙丽')
  token = user.token
  documentId = await user.api.createDocument('来源测试')
})

afterAll(async () => {
  await relay?.close()
})

function upgrade(headers: Record<string, string>, room = `doc:${documentId}`): string {
  const lines = [
    `GET /sync/${room}?token=${token} HTTP/1.1`,
    `Host: ${headers.host ?? `127.0.0.1:${relay.port}`}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers)
      .filter(([name]) => name !== 'host')
      .map(([name, value]) => `${name}: ${value}`),
  ]
  return `${lines.join('\r\n')}\r\n\r\n`
}

async function refusals(reason: string): Promise<Record<string, unknown>[]> {
  const { rows } = await relay.audit.search({ action: 'relay.refused' }, 1000, 0)
  return rows
    .map((row) => JSON.parse(row.detail) as Record<string, unknown>)
    .filter((detail) => detail.reason === reason)
}

describe('the Origin of a sync upgrade', () => {
  test('a foreign page is refused with 403 before the upgrade, even with a valid token, and audited', async () => {
    for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1', 'http://[zz']) {
      expect(await rawHttp(relay.port, upgrade({ Origin: origin })), origin).toMatch(
        /^HTTP\/1\.1 403 /,
      )
    }
    await expect.poll(async () => (await refusals('origin_refused')).length).toBeGreaterThan(0)
    const [entry] = await refusals('origin_refused')
    expect(entry?.origin).toBeDefined()
    expect(JSON.stringify(entry)).not.toContain(token)
  })

  test("the web client's own origin, the Host asked for and a configured origin are let through", async () => {
    const allowed = [
      [`http://127.0.0.1:${relay.port}`, {}],
      ['https://qilu.example.gov.cn', { host: 'qilu.example.gov.cn' }],
      ['http://qilu.example.gov.cn:8443', { host: 'QILU.example.gov.cn:8443' }],
      ['https://oa.example.gov.cn', {}],
    ] as const
    for (const [origin, headers] of allowed) {
      expect(await rawHttp(relay.port, upgrade({ ...headers, Origin: origin })), origin).toMatch(
        /^HTTP\/1\.1 101 /,
      )
    }
  })

  test('without an Origin the token alone decides', async () => {
    expect(await rawHttp(relay.port, upgrade({}))).toMatch(/^HTTP\/1\.1 101 /)
    const socket = new WebSocket(`${relay.wsUrl}/doc:${documentId}?token=wrong`)
    const code = await new Promise<number>((resolve) => socket.once('close', resolve))
    expect(code).toBe(CloseEvents.unauthorized.code)
  })

  test('a browser page of the relay itself syncs as before', async () => {
    const socket = new WebSocket(`${relay.wsUrl}/doc:${documentId}?token=${token}`, {
      origin: relay.url,
    })
    const first = await new Promise<Buffer>((resolve, reject) => {
      socket.once('message', resolve)
      socket.once('close', (code) => reject(new Error(`closed ${code}`)))
    })
    socket.close()
    expect(first[0]).toBe(0)
  })
})

describe('QILU_ALLOWED_ORIGINS', () => {
  test('is a comma-separated list of origins, normalised; anything else fails at start', () => {
    expect(
      loadConfig({ QILU_ALLOWED_ORIGINS: ' https://OA.example.gov.cn ,http://a.example:80' })
        .allowedOrigins,
    ).toEqual(['https://oa.example.gov.cn', 'http://a.example'])
    expect(loadConfig({}).allowedOrigins).toEqual([])
    expect(() => loadConfig({ QILU_ALLOWED_ORIGINS: 'oa.example.gov.cn' })).toThrow(
      /QILU_ALLOWED_ORIGINS/,
    )
    expect(() => loadConfig({ QILU_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(
      /QILU_ALLOWED_ORIGINS/,
    )
  })
})
