/**
 * The HTTP client of the meetings benchmark, in a worker thread (see meetingsProtocol.ts): the relay
 * under test keeps its main thread and event loop to itself.
 */
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

async function timed(
  baseUrl: string,
  token: string,
  planned: PlannedRequest,
): Promise<TimedAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (planned.body !== undefined) {
    headers['content-type'] = 'application/json'
  }
  const t0 = performance.now()
  const response = await fetch(`${baseUrl}/api/v1${planned.route}`, {
    method: planned.method,
    headers,
    body: planned.body === undefined ? undefined : JSON.stringify(planned.body),
  })
  const text = await response.text()
  const ms = performance.now() - t0
  return { status: response.status, ms, body: text === '' ? null : (JSON.parse(text) as unknown) }
}

async function send(request: Extract<MeetingsRequest, { type: 'send' }>): Promise<TimedAnswer[]> {
  const one = (planned: PlannedRequest) => timed(request.baseUrl, request.token, planned)
  if (request.concurrent) {
    return Promise.all(request.requests.map(one))
  }
  const answers: TimedAnswer[] = []
  for (const planned of request.requests) {
    answers.push(await one(planned))
  }
  return answers
}

port.on('message', (request: MeetingsRequest) => {
  const reply = (message: MeetingsReply): void => port.postMessage(message)
  if (request.type === 'close') {
    reply({ type: 'closed' })
    port.close()
    return
  }
  send(request).then(
    (answers) => reply({ type: 'sent', answers }),
    (error: unknown) => reply({ type: 'failed', message: String(error) }),
  )
})
