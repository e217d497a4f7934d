/**
 * The HTTP client of the meetings benchmark, in a worker thread (see meetingsProtocol.ts): the relay
 * under test keeps its main thread and event loop to itself.
 *
 * Requests go through `node:http` with a keep-alive agent, as a browser keeps its connection to the
 * server open between requests: before a concurrent batch on `warm` connections, the benchmark has
 * as many connections opened (`warm`, each with a request to /health, outside the measured window)
 * and kept, so the batch measures 200 signed-in users sending at once, not 200 TCP handshakes. `fresh` opens a new
 * connection per request (the cost of the handshakes is then in the figures).
 */
import http from 'node:http'
import { parentPort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import type {
  MeetingsReply,
  MeetingsRequest,
  PlannedRequest,
  TimedAnswer,
} from './meetingsProtocol'

const port = parentPort
if (port === null) {
  throw new Error('meetingsWorker must run in a worker thread')
}

/** Keeps up to 256 idle connections open between batches. */
const keepAlive = new http.Agent({ keepAlive: true, maxFreeSockets: 256, scheduling: 'lifo' })

function timed(
  baseUrl: string,
  token: string,
  planned: PlannedRequest,
  agent: http.Agent | false,
): Promise<TimedAnswer> {
  const body = planned.body === undefined ? null : Buffer.from(JSON.stringify(planned.body))
  const headers: Record<string, string | number> = { authorization: `Bearer ${token}` }
  if (body !== null) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = body.length
  }
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/api/v1${planned.route}`,
      { method: planned.method, headers, agent },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const ms = performance.now() - t0
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: response.statusCode ?? 0,
            ms,
            body: text === '' ? null : (JSON.parse(text) as unknown),
          })
        })
      },
    )
    request.on('error', reject)
    request.end(body ?? undefined)
  })
}

async function send(request: Extract<MeetingsRequest, { type: 'send' }>): Promise<TimedAnswer[]> {
  const agent = request.connections === 'fresh' ? false : keepAlive
  const one = (planned: PlannedRequest) =>
    timed(request.baseUrl, planned.token ?? request.token, planned, agent)
  if (!request.concurrent) {
    const answers: TimedAnswer[] = []
    for (const planned of request.requests) {
      answers.push(await one(planned))
    }
    return answers
  }
  return Promise.all(request.requests.map(one))
}

/** Opens `count` kept-alive connections (one concurrent request to /health each). */
async function warm(baseUrl: string, count: number): Promise<void> {
  const open = Object.values(keepAlive.freeSockets).reduce((n, list) => n + (list?.length ?? 0), 0)
  if (open >= count) {
    return
  }
  await Promise.all(
    Array.from({ length: count }, () =>
      timed(baseUrl, '', { method: 'GET', route: '/health' }, keepAlive),
    ),
  )
}

port.on('message', (request: MeetingsRequest) => {
  const reply = (message: MeetingsReply): void => port.postMessage(message)
  if (request.type === 'close') {
    keepAlive.destroy()
    reply({ type: 'closed' })
    port.close()
    return
  }
  if (request.type === 'warm') {
    warm(request.baseUrl, request.count).then(
      () => reply({ type: 'warmed' }),
      (error: unknown) => reply({ type: 'failed', message: String(error) }),
    )
    return
  }
  send(request).then(
    (answers) => reply({ type: 'sent', answers }),
    (error: unknown) => reply({ type: 'failed', message: String(error) }),
  )
})
