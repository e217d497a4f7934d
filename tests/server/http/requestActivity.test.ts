import { afterEach, describe, expect, test } from 'vitest'
import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { RequestActivity } from '../../../server/http/RequestActivity'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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
    let busy = true
    const traffic = (async () => {
      while (busy) {
        activity.requestStarted()
        await sleep(10)
      }
    })()
    const started = performance.now()
    await activity.quiet()
    const waited = performance.now() - started
    busy = false
    await traffic
    expect(waited).toBeGreaterThanOrEqual(390)
    expect(waited).toBeLessThan(1500)
  })

  test('work queued long ago waits no more, however busy the HTTP side is (the bound runs from the queueing)', async () => {
    const activity = new RequestActivity(150, 400)
    let busy = true
    const traffic = (async () => {
      while (busy) {
        activity.requestStarted()
        await sleep(10)
      }
    })()
    await sleep(30)
    const started = performance.now()
    await activity.quiet(started - 400)
    const waited = performance.now() - started
    busy = false
    await traffic
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
})
