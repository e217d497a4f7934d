import { afterEach, describe, expect, test } from 'vitest'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { RequestActivity } from '../../../server/http/RequestActivity'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A request started every 10 ms until `stop()`: the HTTP side kept busy. */
function busyEvery10ms(activity: RequestActivity): { stop(): Promise<void> } {
  let busy = true
  const running = (async () => {
    while (busy) {
      activity.requestStarted()
      await sleep(10)
    }
  })()
  return {
    stop: async () => {
      busy = false
      await running
    },
  }
}

describe('background work waits for a quiet moment of the HTTP side', () => {
  let app: FastifyInstance | null = null
  afterEach(async () => {
    await app?.close()
    app = null
  })

  test('runs at once when no request has started lately', async () => {
    const activity = new RequestActivity(50, 5000)
    const started = performance.now()
    await activity.quiet()
    expect(performance.now() - started).toBeLessThan(40)
  })

  test('waits while requests keep starting, then until a quiet spell has passed', async () => {
    const activity = new RequestActivity(50, 5000)
    let last = 0
    const burst = (async () => {
      for (let i = 0; i < 10; i++) {
        activity.requestStarted()
        last = performance.now()
        await sleep(20)
      }
    })()
    await sleep(5)
    await activity.quiet()
    await burst
    expect(performance.now() - last).toBeGreaterThanOrEqual(45)
  })

  test('never waits longer than its bound, however busy the HTTP side stays', async () => {
    // Requests every 10 ms against a quiet spell of 150 ms: busy throughout, even on a loaded machine.
    const activity = new RequestActivity(150, 400)
    const traffic = busyEvery10ms(activity)
    const started = performance.now()
    await activity.quiet()
    const waited = performance.now() - started
    await traffic.stop()
    expect(waited).toBeGreaterThanOrEqual(390)
    expect(waited).toBeLessThan(1500)
  })

  test('work queued long ago waits no more, however busy the HTTP side is (the bound runs from the queueing)', async () => {
    const activity = new RequestActivity(150, 400)
    const traffic = busyEvery10ms(activity)
    await sleep(30)
    const started = performance.now()
    await activity.quiet(started - 400)
    const waited = performance.now() - started
    await traffic.stop()
    expect(waited).toBeLessThan(100)
  })

  test('every request of a tracked Fastify app counts as activity', async () => {
    const activity = new RequestActivity(300, 5000)
    app = Fastify()
    activity.track(app)
    app.get('/ping', async () => 'pong')
    await app.ready()
    await sleep(350)
    expect((await app.inject({ method: 'GET', url: '/ping' })).body).toBe('pong')
    const started = performance.now()
    await activity.quiet()
    expect(performance.now() - started).toBeGreaterThanOrEqual(200)
  })

  test('a request being answered keeps the relay busy until its response closes, answered or abandoned', async () => {
    const activity = new RequestActivity(20, 5000)
    app = Fastify()
    activity.track(app)
    let release: () => void = () => undefined
    app.get('/slow', () => new Promise<string>((resolve) => (release = () => resolve('done'))))
    const address = await app.listen({ host: '127.0.0.1', port: 0 })
    // Answered: quiet() waits for the answer, not just for 20 ms after the request started.
    const answered = fetch(`${address}/slow`).then((response) => response.text())
    await sleep(60)
    expect(activity.answering).toBe(1)
    let quietAt = 0
    const quiet = activity.quiet().then(() => (quietAt = performance.now()))
    await sleep(100)
    expect(quietAt).toBe(0)
    const releasedAt = performance.now()
    release()
    expect(await answered).toBe('done')
    await quiet
    expect(quietAt).toBeGreaterThanOrEqual(releasedAt)
    expect(activity.answering).toBe(0)
    // Abandoned: the client goes away before the answer; the request no longer counts.
    const abort = new AbortController()
    const abandoned = fetch(`${address}/slow`, { signal: abort.signal }).catch(() => 'aborted')
    await sleep(60)
    expect(activity.answering).toBe(1)
    abort.abort()
    expect(await abandoned).toBe('aborted')
    for (let i = 0; i < 50 && activity.answering > 0; i++) {
      await sleep(10)
    }
    expect(activity.answering).toBe(0)
    release()
  })
})
