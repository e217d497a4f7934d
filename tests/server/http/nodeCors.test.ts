/**
 * A page served by one node of a deployment calls the API of another when its own is down
 * (renderer api/client.ts): the other nodes answer CORS for the deployment's listed origins only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'

const OTHER_NODE = 'https://oa2.example.gov.cn'
const EVIL = 'https://evil.example'
let relay: TestRelay

beforeAll(async () => {
  relay = await startTestRelay({ nodes: ['https://oa1.example.gov.cn', OTHER_NODE] })
})

afterAll(async () => {
  await relay.close()
})

function preflight(origin: string): Promise<Response> {
  return fetch(`${relay.url}/api/v1/documents`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  })
}

describe('API calls from the pages of the deployment’s other nodes', () => {
  test('a page of another site gets no CORS answer, before or after the preflight', async () => {
    const asked = await preflight(EVIL)
    expect(asked.headers.get('access-control-allow-origin')).toBeNull()
    expect(asked.headers.get('access-control-allow-headers')).toBeNull()
    const read = await fetch(`${relay.url}/api/v1/health`, { headers: { origin: EVIL } })
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('a page of a listed node may send its token across origins, and read the answer', async () => {
    const asked = await preflight(OTHER_NODE)
    expect(asked.status).toBe(204)
    expect(asked.headers.get('access-control-allow-origin')).toBe(OTHER_NODE)
    expect(asked.headers.get('access-control-allow-headers')).toContain('authorization')
    expect(asked.headers.get('access-control-allow-credentials')).toBeNull()
    const read = await fetch(`${relay.url}/api/v1/health`, { headers: { origin: OTHER_NODE } })
    expect(read.status).toBe(200)
    expect(read.headers.get('access-control-allow-origin')).toBe(OTHER_NODE)
    expect(read.headers.get('vary')).toContain('Origin')
  })

  test('the web client’s CSP lets it connect to the listed nodes, and nowhere else over HTTP', async () => {
    const page = await fetch(`${relay.url}/`)
    const connect = (page.headers.get('content-security-policy') ?? '')
      .split('; ')
      .find((directive) => directive.startsWith('connect-src'))
    expect(connect?.split(' ')).toEqual([
      'connect-src',
      "'self'",
      'https://oa1.example.gov.cn',
      OTHER_NODE,
      'ws:',
      'wss:',
    ])
  })
})
