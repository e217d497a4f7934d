/**
 * The relay's work and send queues under readers who ask too much or read too slowly: a flood of
 * sync step 1 messages at a large document, a 20 MB document sent to a reader that pauses, and a
 * consumer so slow it must be cut.
 */
import { spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type WebSocket from 'ws'
import { adminClient, startTestRelay } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { closed, connect, rawSocket, synced, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'
import { CloseEvents } from '../../../shared/protocol/closeEvents'

type User = { api: ApiClient; userId: string; token: string }

const ROOT = path.resolve(import.meta.dirname, '../../..')

let relay: TestRelay
let owner: User
let editor: User
let reader: User
const clients: Client[] = []

beforeAll(async () => {
  relay = await startTestRelay({ searchDelayMs: 600_000 })
  const admin = await adminClient(relay)
  owner = await admin.createUser('flow_owner', '王芳')
  editor = await admin.createUser('flow_editor', '李强')
  reader = await admin.createUser('flow_reader', '赵敏')
})

afterAll(async () => {
  clients.forEach((c) => c.destroy())
  await relay?.close()
})

/** A document shared with the editor and the reader, its body filled server-side to about `bytes`. */
async function largeDocument(bytes: number): Promise<string> {
  const id = await owner.api.createDocument('大文档')
  await owner.api.share(id, editor.userId, 'editor')
  await owner.api.share(id, reader.userId, 'reader')
  const line = '山东省人民政府办公厅关于进一步做好政务服务工作的通知。'.repeat(12)
  await relay.relay.rooms.apply(`doc:${id}`, (doc) => {
    const body = doc.getXmlFragment('body')
    const paragraphs: Y.XmlElement[] = []
    for (let size = 0, i = 0; size < bytes; i++) {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(`${i} ${line}`)])
      paragraphs.push(paragraph)
      size += Buffer.byteLength(line) + 12
    }
    body.insert(0, paragraphs)
  })
  return id
}

function track(client: Client): Client {
  clients.push(client)
  return client
}

/** Fetches /health every `everyMs` until stopped. @returns when each poll began and how long it took (ms). */
function pollHealth(everyMs: number): { stop(): Promise<{ at: number; ms: number }[]> } {
  const latencies: { at: number; ms: number }[] = []
  let running = true
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      const response = await fetch(`${relay.url}/api/v1/health`)
      await response.arrayBuffer()
      latencies.push({ at: started, ms: performance.now() - started })
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return latencies
    },
  }
}

/** Types one character every `everyMs` into `client` until stopped. */
function typeInto(client: Client, everyMs: number): { stop(): string } {
  let typed = ''
  const timer = setInterval(() => {
    const char = String.fromCharCode(0x4e00 + (typed.length % 100))
    typed += char
    client.doc.getText('typed').insert(client.doc.getText('typed').length, char)
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return typed
    },
  }
}

/** A flood running in a child process. */
interface Flood {
  /** Resolves when its socket is open, with the time (performance.now()) it began sending. */
  readonly started: Promise<number>
  /** Resolves when its socket closed: the close code and the bytes it received. */
  readonly ended: Promise<{ code: number; received: number }>
}

/**
 * Opens `url` from a child process, sends `count` sync step 1 messages (an empty state vector) at
 * once and reads whatever comes back, as fast as it comes. In this process it could not read while
 * the relay's work held the event loop, and the flood would stop itself.
 */
function floodStep1(url: string, count: number): Flood {
  const script = `
    import WebSocket from 'ws'
    const socket = new WebSocket(process.argv[1])
    let received = 0
    socket.on('message', (data) => { received += data.length })
    socket.on('open', () => {
      console.log('open')
      const step1 = new Uint8Array([0, 0, 1, 0])
      for (let i = 0; i < ${count}; i++) socket.send(step1)
    })
    socket.on('close', (code) => { console.log(JSON.stringify({ code, received })); process.exit(0) })
    setTimeout(() => { console.log(JSON.stringify({ code: -1, received })); process.exit(0) }, 40000)
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, url], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  let opened: (at: number) => void = () => {}
  const started = new Promise<number>((resolve) => (opened = resolve))
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    if (output.startsWith('open\n')) {
      opened(performance.now())
    }
  })
  const ended = new Promise<{ code: number; received: number }>((resolve) =>
    child.once('exit', () =>
      resolve(JSON.parse(output.slice('open\n'.length)) as { code: number; received: number }),
    ),
  )
  return { started, ended }
}

/** The TCP socket under a ws client (to pause reading). */
function tcpOf(ws: WebSocket | null): net.Socket {
  const socket: unknown = ws === null ? undefined : Reflect.get(ws, '_socket')
  if (!(socket instanceof net.Socket)) {
    throw new Error('no TCP socket under this WebSocket')
  }
  return socket
}

describe('readers who ask too much or read too slowly', () => {
  test('5,000 sync step 1 at a 280 KB document close the reader with 4429; /health stays under 200 ms and edits keep flowing', async () => {
    const id = await largeDocument(280 * 1024)
    const writer = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    const watcher = track(connect(relay.wsUrl, `doc:${id}`, owner.token))
    await Promise.all([synced(writer, 10_000), synced(watcher, 10_000)])
    const arrivals: number[] = []
    watcher.doc.getText('typed').observe(() => arrivals.push(performance.now()))
    const typing = typeInto(writer, 50)
    const health = pollHealth(20)
    await new Promise((resolve) => setTimeout(resolve, 300))

    const flood = floodStep1(`${relay.wsUrl}/doc:${id}?token=${reader.token}`, 5000)
    const floodStarted = await flood.started
    const { code: closeCode, received } = await flood.ended
    const floodMs = performance.now() - floodStarted
    await new Promise((resolve) => setTimeout(resolve, 500))
    const typed = typing.stop()
    // Latencies of the polls made from the flood's start on (not while the child process started).
    const latencies = (await health.stop())
      .filter((poll) => poll.at >= floodStarted)
      .map((poll) => poll.ms)

    await waitFor(() => watcher.doc.getText('typed').toString() === typed, 'every edit')
    // The watcher kept receiving the typing (one character per 50 ms) through the flood.
    const gaps = arrivals
      .map((at, i) => at - (arrivals[i - 1] ?? at))
      .filter((_gap, i) => (arrivals[i] ?? 0) >= floodStarted)
    expect({ closeCode, floodMs: Math.round(floodMs), received }).toMatchObject({
      closeCode: CloseEvents.rateLimited.code,
    })
    expect(Math.max(...latencies)).toBeLessThan(200)
    expect(Math.max(...gaps)).toBeLessThan(500)
    // The document went out once (about 300 KB), not once per step 1.
    expect(received).toBeLessThan(1024 * 1024)
  }, 60_000)

  test("a late joiner's first step 2 already holds every change made before it joined", async () => {
    // Large enough for the relay to keep its encoding (and send the changes since with it).
    const id = await largeDocument(128 * 1024)
    const first = track(connect(relay.wsUrl, `doc:${id}`, reader.token))
    await synced(first)
    const writer = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await synced(writer)
    for (const word of ['甲', '乙', '丙']) {
      writer.doc.getText('typed').insert(writer.doc.getText('typed').length, word)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await waitFor(() => first.doc.getText('typed').toString() === '甲乙丙', 'the first reader')
    const late = track(connect(relay.wsUrl, `doc:${id}`, reader.token))
    // What a client sees when its provider reports the first sync (the project's editor decides
    // then whether the body is empty and must be seeded).
    const atSync = new Promise<string>((resolve) =>
      late.provider.once('sync', () => resolve(late.doc.getText('typed').toString())),
    )
    expect(await atSync).toBe('甲乙丙')
    expect(late.doc.getXmlFragment('body').length).toBe(first.doc.getXmlFragment('body').length)
  })

  test('a 20 MB document reaches a stock provider that pauses 3 s at each connect while another client types', async () => {
    const id = await largeDocument(20 * 1024 * 1024)
    const writer = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await synced(writer, 30_000)
    const expectedBody = writer.doc.getXmlFragment('body').length
    const typing = typeInto(writer, 30)

    const slow = track(connect(relay.wsUrl, `doc:${id}`, reader.token))
    let pauses = 0
    slow.provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') {
        return
      }
      const socket = tcpOf(slow.provider.ws as WebSocket | null)
      socket.pause()
      pauses++
      setTimeout(() => socket.resume(), 3000)
    })
    await synced(slow, 30_000)
    const typed = typing.stop()
    await waitFor(
      () => slow.doc.getText('typed').toString() === typed,
      'the typing after the pause',
      10_000,
    )
    expect(slow.doc.getXmlFragment('body').length).toBe(expectedBody)
    expect(slow.closeCodes).toEqual([])
    expect(pauses).toBe(1)
  }, 90_000)

  test('a consumer that stops reading is cut with slow_consumer, which it reads, and resyncs when it reconnects', async () => {
    const id = await largeDocument(64 * 1024)
    const writer = track(connect(relay.wsUrl, `doc:${id}`, editor.token))
    await synced(writer)
    const stalled = await rawSocket(`${relay.wsUrl}/doc:${id}?token=${reader.token}`)
    const code = closed(stalled)
    await new Promise((resolve) => setTimeout(resolve, 200))
    tcpOf(stalled).pause()
    // 24 MiB of edits in 1.5 MiB updates: more than the relay keeps queued for one socket.
    for (let i = 0; i < 16; i++) {
      writer.doc.getText('bulk').insert(0, String(i % 10).repeat(1536 * 1024))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
    tcpOf(stalled).resume()
    expect(await code).toBe(CloseEvents.slowConsumer.code)

    const again = track(connect(relay.wsUrl, `doc:${id}`, reader.token))
    await synced(again, 30_000)
    await waitFor(() => again.doc.getText('bulk').length === 16 * 1536 * 1024, 'the resync')
  }, 90_000)
})
