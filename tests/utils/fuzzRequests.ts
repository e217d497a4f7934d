/**
 * Seeded hostile HTTP requests for fuzzing the relay: upgrade requests around the sync path (broken
 * escapes, absolute URLs, missing and garbage headers, foreign origins) and API requests (broken
 * paths, queries, lying lengths, malformed bodies), as raw latin1 text for tests/utils/rawHttp.ts.
 *
 * @example
 *   await rawHttp(port, upgradeRequest(fuzz, { port, rooms, tokens }))
 */
import type { Fuzzer } from './fuzz'

/** What an upgrade fuzz case may put in its request. */
export interface UpgradeMaterial {
  readonly port: number
  /** Valid room names (the fuzz mixes them with broken ones). */
  readonly rooms: readonly string[]
  /** Real tokens and planted secrets; none may ever appear in the relay's log. */
  readonly tokens: readonly string[]
}

const BROKEN_ROOMS = [
  'doc:%E0%A4%A',
  '%',
  '%ZZ',
  'doc:%00',
  'doc:%C0%AF',
  'doc:%ED%A0%80',
  '..%2F..%2Fetc',
  'approval:',
  ':',
  'doc:' + 'a'.repeat(3000),
  '%E9%BD%90%E9%B2%81',
]

/** Generates raw HTTP upgrade requests (latin1 text) around the sync path. */
export function upgradeRequest(fuzz: Fuzzer, material: UpgradeMaterial): string {
  const room = fuzz.chance(0.4) ? fuzz.pick(material.rooms) : fuzz.pick(BROKEN_ROOMS)
  const token = fuzz.pick([...material.tokens, '', '%E0%A4%A', '%'])
  const query = fuzz.pick([
    `?token=${token}`,
    `?token=${token}&token=x`,
    '',
    `?x=%E0&token=${token}`,
    '?',
  ])
  let target = fuzz.pick([
    `/sync/${room}${query}`,
    `/sync/${room}${query}`,
    `http://[zz/sync/${room}${query}`,
    `http://127.0.0.1:${material.port}/sync/${room}${query}`,
    `//sync/${room}${query}`,
    `/sync/${room}/extra${query}`,
    '*',
    '/sync/',
    `/api/v1/health${query}`,
    `/sync/${room}#${query}`,
  ])
  if (fuzz.chance(0.3)) {
    const chars = [...target]
    const at = fuzz.int(0, Math.max(0, chars.length - 1))
    chars[at] = String.fromCharCode(fuzz.int(33, 126))
    target = chars.join('')
  }
  const headers: string[] = []
  const add = (p: number, line: string): void => {
    if (fuzz.chance(p)) {
      headers.push(line)
    }
  }
  add(
    0.9,
    `Host: ${fuzz.pick([`127.0.0.1:${material.port}`, 'evil.example', '[zz', '', 'a'.repeat(2000)])}`,
  )
  add(0.9, `Connection: ${fuzz.pick(['Upgrade', 'upgrade, keep-alive', 'close', ''])}`)
  add(0.9, `Upgrade: ${fuzz.pick(['websocket', 'WebSocket', 'h2c', ''])}`)
  add(0.85, `Sec-WebSocket-Version: ${fuzz.pick(['13', '13', '8', 'x', ''])}`)
  add(
    0.85,
    `Sec-WebSocket-Key: ${fuzz.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'dGhlIHNhbXBsZSBub25jZQ==', 'short', '', '%%%%'])}`,
  )
  add(
    0.5,
    `Origin: ${fuzz.pick([`http://127.0.0.1:${material.port}`, 'http://evil.example', 'null', 'http://[zz', 'file://', '%E0'])}`,
  )
  add(
    0.2,
    `Sec-WebSocket-Extensions: ${fuzz.pick(['permessage-deflate', 'permessage-deflate; client_max_window_bits=99', ';;;'])}`,
  )
  add(0.2, `Sec-WebSocket-Protocol: ${fuzz.pick(['a', 'a, a', ',', ''])}`)
  add(0.05, `X-Long: ${'x'.repeat(fuzz.int(1, 20_000))}`)
  const method = fuzz.chance(0.9) ? 'GET' : fuzz.pick(['POST', 'PUT', 'G ET', ''])
  const version = fuzz.chance(0.9)
    ? 'HTTP/1.1'
    : fuzz.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'FOO'])
  return `${method} ${target} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`
}

/** What an HTTP fuzz case may put in its request. */
export interface HttpMaterial {
  readonly port: number
  readonly ids: readonly string[]
  readonly tokens: readonly string[]
}

const HTTP_ROUTES = [
  ['GET', '/api/v1/health'],
  ['POST', '/api/v1/auth/login'],
  ['GET', '/api/v1/auth/me'],
  ['POST', '/api/v1/auth/password'],
  ['GET', '/api/v1/auth/sessions'],
  ['GET', '/api/v1/documents'],
  ['POST', '/api/v1/documents'],
  ['GET', '/api/v1/documents/:id'],
  ['PATCH', '/api/v1/documents/:id'],
  ['GET', '/api/v1/documents/:id/members'],
  ['PUT', '/api/v1/documents/:id/members/:id'],
  ['GET', '/api/v1/documents/:id/versions'],
  ['POST', '/api/v1/documents/:id/versions'],
  ['GET', '/api/v1/documents/:id/versions/:id'],
  ['GET', '/api/v1/documents/:id/state'],
  ['GET', '/api/v1/directory/search'],
  ['GET', '/api/v1/inbox'],
  ['POST', '/api/v1/inbox/:id/read'],
  ['GET', '/api/v1/units'],
  ['GET', '/api/v1/users'],
  ['GET', '/'],
  ['GET', '/some/page'],
] as const

const HTTP_BODIES = [
  '{"username":"admin","password":"x"}',
  '{"title":"测试"}',
  '{"role":"editor"}',
  '{"oldPassword":"a","newPassword":"b"}',
  '{"title":' + '['.repeat(5000),
  '{"__proto__":{"admin":true}}',
  '[]',
  'null',
  '"x"',
  '{"title":"\uD800"}',
  '',
]

/** Generates raw HTTP/1.1 API requests with broken paths, queries, headers and bodies. */
export function httpRequest(fuzz: Fuzzer, material: HttpMaterial): string {
  const [method, route] = fuzz.pick(HTTP_ROUTES)
  const path = route.replace(/:id/g, () =>
    fuzz.pick([...material.ids, '%E0%A4%A', '%', 'x'.repeat(300), '..%2F..', '%00', '-1', '1e309']),
  )
  const query = fuzz.pick([
    '',
    '?q=%E0%A4%A',
    '?q=' + 'a'.repeat(5000),
    '?limit=-1&offset=x',
    '?q[]=1&q[]=2',
    '?%',
  ])
  let body = fuzz.pick(HTTP_BODIES)
  if (fuzz.chance(0.4)) {
    body = new TextDecoder('latin1').decode(fuzz.mutate(new TextEncoder().encode(body)))
  }
  const bytes = Buffer.byteLength(body, 'latin1')
  const headers = [`Host: 127.0.0.1:${material.port}`, 'Connection: close']
  if (fuzz.chance(0.7)) {
    headers.push(`Authorization: Bearer ${fuzz.pick([...material.tokens, '', '%E0'])}`)
  }
  if (fuzz.chance(0.8)) {
    headers.push(
      `Content-Type: ${fuzz.pick(['application/json', 'application/json; charset=utf-16', 'text/plain', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded'])}`,
    )
  }
  headers.push(
    `Content-Length: ${fuzz.pick([String(bytes), String(bytes), String(bytes + 10), '-1', 'x', String(10 ** 12)])}`,
  )
  return `${fuzz.pick([method, method, 'GET', 'OPTIONS', 'DELETE'])} ${path}${query} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`
}
