/**
 * Fuzzes the relay's three doors with seeded hostile input: upgrade requests (broken escapes,
 * absolute URLs, missing and garbage headers, raw frames after the handshake), y-websocket messages
 * (real messages mutated: truncated, huge varints, lying lengths, spliced, many presences) from an
 * editor, a commenter and a reader, and HTTP API requests. Afterwards the relay must still answer,
 * the good clients in the fuzzed room must still converge, and no log line may hold a token.
 *
 * CI replays DEFAULT_FUZZ_SEED; `npm run fuzz` runs longer with a random seed it prints (replay one
 * with `npm run fuzz -- --seed <n>`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { connect, synced, text, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { Fuzzer, fuzzScale, fuzzSeed } from '../../utils/fuzz'
import { httpRequest, upgradeRequest } from '../../utils/fuzzRequests'
import { rawHttp } from '../../utils/rawHttp'
import type { Logger } from '../../../server/logger'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

const SEED = fuzzSeed()
const SCALE = fuzzScale()
const UPGRADE_CASES = Math.round(2000 * SCALE)
const MESSAGE_CASES = Math.round(8000 * SCALE)
const HTTP_CASES = Math.round(600 * SCALE)
const TIMEOUT_MS = 60_000 * Math.max(1, SCALE)
/** Shaped like a session token (43 base64url characters), so it is planted where tokens go. */
const PLANTED = 'SECRET_planted_token_0123456789abcdefghijk'
const context = `(seed ${SEED}; replay with npm run fuzz -- --seed ${SEED})`

/** A logger that keeps every line it is given, to check no token ever reaches the log. */
class RecordingLogger implements Logger {
  readonly lines: string[] = []
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ message, ...fields }))
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.debug(message, fields)
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.debug(message, fields)
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.debug(message, fields)
  }
}

type User = { userId: string; token: string }

let relay: TestRelay
const logger = new RecordingLogger()
let owner: User
let editor: User
let commenter: User
let reader: User
let httpUser: User
let documentId: string
const clients: Client[] = []
const escaped: unknown[] = []
const onEscape = (error: unknown): void => {
  escaped.push(error)
}

beforeAll(async () => {
  process.on('uncaughtException', onEscape)
  process.on('unhandledRejection', onEscape)
  relay = await startTestRelay({ logger })
  const admin = await adminClient(relay)
  owner = await admin.createUser('fuzz_owner', '王芳')
  editor = await admin.createUser('fuzz_editor', '李强')
  commenter = await admin.createUser('fuzz_commenter', '张伟')
  reader = await admin.createUser('fuzz_reader', '赵敏')
  httpUser = await admin.createUser('fuzz_http', '刘洋')
  const ownerApi = (await admin.createUser('fuzz_doc_owner', '陈静')).api
  documentId = await ownerApi.createDocument('模糊测试')
  await ownerApi.share(documentId, owner.userId, 'editor')
  await ownerApi.share(documentId, editor.userId, 'editor')
  await ownerApi.share(documentId, commenter.userId, 'commenter')
  await ownerApi.share(documentId, reader.userId, 'reader')
  const a = connect(relay.wsUrl, `doc:${documentId}`, owner.token)
  const b = connect(relay.wsUrl, `doc:${documentId}`, owner.token)
  clients.push(a, b)
  await Promise.all([synced(a), synced(b)])
  a.doc.getText('text').insert(0, '开始')
  await waitFor(() => text(b) === '开始', 'the good clients to sync before the fuzz')
})

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  await relay?.close()
  process.off('uncaughtException', onEscape)
  process.off('unhandledRejection', onEscape)
})

async function healthMs(): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${relay.url}/api/v1/health`, { signal: AbortSignal.timeout(2000) })
  expect(response.status, `health ${context}`).toBe(200)
  return performance.now() - started
}

/** A masked client WebSocket frame (or a broken one). */
function frame(fuzz: Fuzzer, payload: Uint8Array): Uint8Array {
  const opcode = fuzz.chance(0.8) ? 2 : fuzz.pick([0, 1, 3, 8, 9, 10, 15])
  const fin = fuzz.chance(0.9) ? 0x80 : 0
  const masked = fuzz.chance(0.9)
  const header =
    payload.length < 126
      ? [fin | opcode, (masked ? 0x80 : 0) | payload.length]
      : [fin | opcode, (masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 0xff]
  const mask = masked ? fuzz.bytes(4) : new Uint8Array(0)
  const body = payload.map((byte, i) => (masked ? byte ^ (mask[i % 4] ?? 0) : byte))
  const out = new Uint8Array(header.length + mask.length + body.length)
  out.set(header, 0)
  out.set(mask, header.length)
  out.set(body, header.length + mask.length)
  return fuzz.chance(0.1) ? fuzz.mutate(out) : out
}

function openSocket(url: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url)
    socket.once('open', () => resolve(socket))
    socket.once('error', () => resolve(null))
    socket.once('close', () => resolve(null))
  })
}

describe(`the relay under seeded hostile input ${context}`, () => {
  test(
    'thousands of broken upgrade requests are refused one by one and the relay keeps answering',
    async () => {
      const fuzz = new Fuzzer(SEED)
      const material = {
        port: relay.port,
        rooms: [
          `doc:${documentId}`,
          `inbox:${reader.userId}`,
          'doc:00000000-0000-0000-0000-000000000000',
        ],
        tokens: [reader.token, editor.token, PLANTED],
      }
      const statuses = new Map<string, number>()
      for (let done = 0; done < UPGRADE_CASES; done += 8) {
        const batch = Array.from({ length: 8 }, () => {
          const request = upgradeRequest(fuzz, material)
          const messages = Array.from({ length: fuzz.int(0, 3) }, () => frame(fuzz, fuzz.message()))
          const afterUpgrade = Buffer.concat(messages)
          const reset = fuzz.chance(0.05)
          return rawHttp(relay.port, request, { timeoutMs: 1500, afterUpgrade, reset })
        })
        for (const line of await Promise.all(batch)) {
          const status = line.slice(0, 12) || '(closed)'
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
        }
        if (done % 200 === 0) {
          await healthMs()
        }
      }
      expect(escaped, `errors escaped a handler ${context}`).toEqual([])
      expect(
        [...statuses.keys()].filter((s) => s.startsWith('HTTP/1.1 5')),
        context,
      ).toEqual([])
      expect(statuses.get('HTTP/1.1 101') ?? 0).toBeGreaterThan(0)
      await healthMs()
    },
    TIMEOUT_MS,
  )

  test(
    'thousands of mutated y-websocket messages close only their own sockets',
    async () => {
      const users = [editor, commenter, reader, owner]
      let sent = 0
      const closes = new Map<number, number>()
      const worker = async (index: number): Promise<void> => {
        const fuzz = new Fuzzer(SEED + index + 1)
        while (sent < MESSAGE_CASES) {
          const user = fuzz.pick(users)
          const room = fuzz.chance(0.9) ? `doc:${documentId}` : `inbox:${user.userId}`
          const socket = await openSocket(`${relay.wsUrl}/${room}?token=${user.token}`)
          if (socket === null) {
            continue
          }
          socket.on('close', (code: number) => closes.set(code, (closes.get(code) ?? 0) + 1))
          for (let i = fuzz.int(1, 40); i > 0 && socket.readyState === WebSocket.OPEN; i--) {
            socket.send(fuzz.message())
            sent++
            if (i % 4 === 0) {
              await new Promise((resolve) => setTimeout(resolve, 1))
            }
          }
          await new Promise((resolve) => setTimeout(resolve, fuzz.int(0, 5)))
          socket.terminate()
        }
      }
      await Promise.all([0, 1, 2, 3].map(worker))
      expect(escaped, `errors escaped a handler ${context}`).toEqual([])
      // The fuzz reached the message handlers: malformed messages were refused one socket at a time.
      expect(closes.get(CloseEvents.badMessage.code) ?? 0, context).toBeGreaterThan(10)
      await healthMs()
    },
    TIMEOUT_MS,
  )

  test(
    'hundreds of broken HTTP requests get answers below 500',
    async () => {
      const fuzz = new Fuzzer(SEED + 100)
      const material = {
        port: relay.port,
        ids: [documentId, reader.userId],
        tokens: [httpUser.token, PLANTED],
      }
      const failures: string[] = []
      for (let done = 0; done < HTTP_CASES; done += 6) {
        const requests = Array.from({ length: 6 }, () => httpRequest(fuzz, material))
        const lines = await Promise.all(
          requests.map((r) => rawHttp(relay.port, r, { timeoutMs: 1500, halfClose: true })),
        )
        lines.forEach((line, i) => {
          if (line.startsWith('HTTP/1.1 5')) {
            failures.push(`${line} ← ${requests[i]?.split('\r\n')[0]}`)
          }
        })
      }
      expect(escaped, `errors escaped a handler ${context}`).toEqual([])
      expect(failures, context).toEqual([])
      await healthMs()
    },
    TIMEOUT_MS,
  )

  test('afterwards the good clients still converge, a fresh one syncs, and no log line holds a token', async () => {
    const [a, b] = clients
    if (a === undefined || b === undefined) {
      throw new Error('good clients missing')
    }
    expect(a.closeCodes, context).toEqual([])
    expect(b.closeCodes, context).toEqual([])
    a.doc.getText('text').insert(0, '甲')
    b.doc.getText('text').insert(0, '乙')
    await waitFor(
      () => text(a) === text(b) && text(a).includes('甲') && text(a).includes('乙'),
      `convergence ${context}`,
    )
    const fresh = connect(relay.wsUrl, `doc:${documentId}`, editor.token)
    clients.push(fresh)
    await synced(fresh)
    await waitFor(() => text(fresh) === text(a), `a fresh client to match ${context}`)
    const tokens = [owner, editor, commenter, reader, httpUser].map((u) => u.token)
    const leaks = logger.lines.filter((line) => [PLANTED, ...tokens].some((t) => line.includes(t)))
    expect(leaks.slice(0, 3), context).toEqual([])
    expect(escaped, context).toEqual([])
  })
})
