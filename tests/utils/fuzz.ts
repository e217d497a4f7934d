/**
 * Seeded input generators for fuzzing the relay: y-websocket messages taken from a real document
 * session and mutated (bit flips, truncations, lying lengths, huge varints, splices), random
 * upgrade requests and HTTP requests. Everything comes from one lib0 PRNG, so a seed replays a run.
 *
 * @example
 *   const fuzz = new Fuzzer(fuzzSeed())
 *   socket.send(fuzz.message())
 */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'

/** The CI seed: the normal suite replays the same cases on every run. */
export const DEFAULT_FUZZ_SEED = 20261207

/** @returns the seed from QILU_FUZZ_SEED (set by `npm run fuzz`), or the CI seed. */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.QILU_FUZZ_SEED)
  return Number.isSafeInteger(fromEnv) ? fromEnv : DEFAULT_FUZZ_SEED
}

/** @returns the case multiplier from QILU_FUZZ_SCALE (1 in CI). */
export function fuzzScale(): number {
  const fromEnv = Number(process.env.QILU_FUZZ_SCALE)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 1
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Real messages of a real session: a 公文-shaped document, its updates, and presence. */
function realMessages(): Uint8Array[] {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('关于做好年度工作的通知')])
  body.insert(0, [paragraph])
  doc.getMap('meta').set('title', '通知')
  doc.getMap('comments').set('c1', new Y.Map())
  const before = Y.encodeStateVector(doc)
  const text = new Y.XmlText('各单位：')
  body.insert(1, [text])
  text.format(0, 2, { bold: true })
  const increment = Y.encodeStateAsUpdate(doc, before)
  body.delete(0, 1)
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState({ user: { name: '省长' }, cursor: { anchor: 1, head: 2 } })
  const presence = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])
  awareness.destroy()
  return [
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep1(e, doc)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeSyncStep2(e, doc)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      syncProtocol.writeUpdate(e, increment)
    }),
    frame((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, presence)
    }),
    new Uint8Array([0, 0, 1, 0]),
    new Uint8Array([3]),
    new Uint8Array([2, 0]),
  ]
}

/** Varints that decode to lengths and counts far beyond any message. */
const HUGE_VARINTS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x08],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0xff, 0xff, 0xff],
]

/** Generates hostile inputs from one seed. */
export class Fuzzer {
  readonly gen: prng.PRNG
  private readonly corpus = realMessages()

  constructor(readonly seed: number) {
    this.gen = prng.create(seed)
  }

  /** @returns an integer in [min, max]. */
  int(min: number, max: number): number {
    return prng.int32(this.gen, min, max)
  }

  /** @returns true with probability `p`. */
  chance(p: number): boolean {
    return prng.real53(this.gen) < p
  }

  /** @returns one element of `items`. */
  pick<T>(items: readonly T[]): T {
    return prng.oneOf(this.gen, items as T[])
  }

  /** @returns `length` random bytes. */
  bytes(length: number): Uint8Array {
    return prng.uint8Array(this.gen, length)
  }

  /** @returns a y-websocket message: real, mutated, framed around garbage, or plain random. */
  message(): Uint8Array {
    const kind = this.int(0, 9)
    if (kind === 0) {
      return this.bytes(this.int(0, 64))
    }
    if (kind === 1) {
      return this.framedGarbage()
    }
    if (kind === 2) {
      return this.manyPresences()
    }
    if (kind === 3) {
      return this.pick(this.corpus)
    }
    let message = this.pick(this.corpus)
    for (let i = this.int(1, 3); i > 0; i--) {
      message = this.mutate(message)
    }
    return message
  }

  /** @returns `data` with one mutation applied. */
  mutate(data: Uint8Array): Uint8Array {
    const at = data.length === 0 ? 0 : this.int(0, data.length - 1)
    switch (this.int(0, 8)) {
      case 0: {
        const copy = data.slice()
        if (copy.length > 0) {
          copy[at] = (copy[at] ?? 0) ^ (1 << this.int(0, 7))
        }
        return copy
      }
      case 1: {
        const copy = data.slice()
        if (copy.length > 0) {
          copy[at] = this.int(0, 255)
        }
        return copy
      }
      case 2:
        return data.slice(0, at)
      case 3:
        return concat(data.subarray(0, at), this.bytes(this.int(1, 16)), data.subarray(at))
      case 4:
        return concat(
          data.subarray(0, at),
          data.subarray(Math.min(data.length, at + this.int(1, 8))),
        )
      case 5:
        return concat(
          data.subarray(0, at),
          new Uint8Array(this.pick(HUGE_VARINTS)),
          data.subarray(at + 1),
        )
      case 6: {
        const other = this.pick(this.corpus)
        return concat(data.subarray(0, at), other.subarray(this.int(0, other.length)))
      }
      case 7: {
        const end = Math.min(data.length, at + this.int(1, 32))
        return concat(data.subarray(0, end), data.subarray(at, end), data.subarray(end))
      }
      default: {
        // Keep the framing, change the message type or sync step.
        const copy = data.slice()
        copy[Math.min(copy.length - 1, this.int(0, 1))] = this.pick([
          0, 1, 2, 3, 4, 7, 127, 128, 255,
        ])
        return copy
      }
    }
  }

  /** A valid-looking frame (sync step / awareness) whose payload is garbage or lies about its length. */
  private framedGarbage(): Uint8Array {
    const encoder = encoding.createEncoder()
    const type = this.pick([0, 1])
    encoding.writeVarUint(encoder, type)
    if (type === 0) {
      encoding.writeVarUint(encoder, this.int(0, 2))
    }
    const payload = this.bytes(this.int(0, 256))
    if (this.chance(0.5)) {
      encoding.writeUint8Array(encoder, new Uint8Array(this.pick(HUGE_VARINTS)))
      encoding.writeUint8Array(encoder, payload)
    } else {
      encoding.writeVarUint8Array(encoder, payload)
    }
    return encoding.toUint8Array(encoder)
  }

  /** An awareness update publishing many client ids at once, with odd clocks and states. */
  private manyPresences(): Uint8Array {
    const inner = encoding.createEncoder()
    const count = this.int(1, 300)
    encoding.writeVarUint(inner, count)
    for (let i = 0; i < count; i++) {
      encoding.writeVarUint(inner, this.int(0, 2 ** 31 - 1))
      encoding.writeVarUint(inner, this.pick([0, 1, 2 ** 31, 2 ** 32 - 1]))
      encoding.writeVarString(
        inner,
        this.pick([
          'null',
          '{}',
          '{"user":{"name":"省长"}}',
          '[]',
          '"x"',
          '{"a":' + '['.repeat(50),
        ]),
      )
    }
    const outer = encoding.createEncoder()
    encoding.writeVarUint(outer, 1)
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
    return encoding.toUint8Array(outer)
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

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
