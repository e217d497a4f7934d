/** Routes registered from the shared HTTP contract validate what comes in and what goes out. */
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { defineRoute, routeUrl } from '../../../shared/http/contract'
import { handle, useContracts } from '../../../server/http/contractRoute'

const echo = defineRoute({
  method: 'POST',
  path: '/api/v1/echo/:id',
  params: z.object({ id: z.string().min(3) }),
  query: z.object({ times: z.coerce.number().int().min(1).max(3) }),
  body: z.object({ text: z.string().max(10) }),
  status: 201,
  response: z.object({ id: z.string(), text: z.string() }),
})

const leaky = defineRoute({
  method: 'GET',
  path: '/api/v1/leaky',
  status: 200,
  response: z.object({ name: z.string() }),
})

const app = Fastify()

beforeAll(async () => {
  useContracts(app)
  handle(app, echo, async ({ params, query, body }) => ({
    id: params.id,
    text: body.text.repeat(query.times),
  }))
  // reason: the handler breaks the contract on purpose, to show the serialiser refuses it.
  handle(app, leaky, async () => ({ name: 42 }) as unknown as { name: string })
  await app.ready()
})

afterAll(async () => {
  await app.close()
})

test('a valid request reaches the handler with typed, coerced input and answers the declared status', async () => {
  const response = await app.inject({
    method: 'POST',
    url: routeUrl(echo, { id: 'abc' }, { times: 2 }),
    payload: { text: '齐鲁' },
  })
  expect(response.statusCode).toBe(201)
  expect(response.json()).toEqual({ id: 'abc', text: '齐鲁齐鲁' })
})

test('params, query and body that break the schemas are refused with 400 before the handler', async () => {
  for (const [url, payload] of [
    [routeUrl(echo, { id: 'ab' }, { times: 1 }), { text: 'x' }],
    [routeUrl(echo, { id: 'abc' }, { times: 9 }), { text: 'x' }],
    [routeUrl(echo, { id: 'abc' }, { times: 1 }), { text: 'far too long a text' }],
    [routeUrl(echo, { id: 'abc' }, { times: 1 }), { other: 1 }],
  ] as const) {
    const response = await app.inject({ method: 'POST', url, payload })
    expect(response.statusCode, url).toBe(400)
  }
})

test('a handler answering a shape the contract does not declare fails instead of sending it', async () => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/leaky' })
  expect(response.statusCode).toBe(500)
  expect(response.body).not.toContain('42')
})

test('routeUrl fills and encodes parameters, and says which one is missing', () => {
  expect(routeUrl(echo, { id: 'a/b c' }, { times: 1 })).toBe('/api/v1/echo/a%2Fb%20c?times=1')
  expect(() => routeUrl(echo, {}, {})).toThrow(/parameter id missing/)
})

describe('answers with fields the response schema does not declare', () => {
  const chatty = defineRoute({
    method: 'GET',
    path: '/api/v1/chatty',
    status: 200,
    response: z.object({ name: z.string() }),
  })

  async function answer(strictResponses: boolean): Promise<{ status: number; body: string }> {
    const app = Fastify()
    useContracts(app, { strictResponses })
    // reason: the handler returns more than it declares on purpose (a service leaking a field).
    handle(app, chatty, async () => ({ name: '齐鲁', passwordHash: 'secret' }) as { name: string })
    const response = await app.inject({ method: 'GET', url: chatty.path })
    await app.close()
    return { status: response.statusCode, body: response.body }
  }

  test('are sent without those fields in production', async () => {
    expect(await answer(false)).toEqual({ status: 200, body: '{"name":"齐鲁"}' })
  })

  test('fail in tests, so that a schema missing a field is noticed (QILU_STRICT_CONTRACTS)', async () => {
    expect(process.env.QILU_STRICT_CONTRACTS).toBe('1')
    const strict = await answer(true)
    expect(strict.status).toBe(500)
    expect(strict.body).not.toContain('secret')
  })
})

describe('a guarded route', () => {
  const guarded = defineRoute({
    method: 'POST',
    path: '/api/v1/guarded',
    body: z.object({ note: z.string().max(5).optional() }),
    status: 200,
    response: z.object({ who: z.string(), note: z.string().nullable() }),
  })

  async function post(token: string | null, payload?: object): Promise<number> {
    const app = Fastify()
    useContracts(app)
    handle(
      app,
      guarded,
      async (request) => {
        if (request.headers.authorization !== 'Bearer ok') {
          throw Object.assign(new Error('not signed in'), { statusCode: 401 })
        }
        return { who: 'wang' }
      },
      async ({ auth, body }) => ({ who: auth.who, note: body.note ?? null }),
    )
    const response = await app.inject({
      method: 'POST',
      url: guarded.path,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    })
    await app.close()
    return response.statusCode
  }

  test('refuses a stranger before looking at what it sent', async () => {
    expect(await post(null, { note: 'far too long' })).toBe(401)
    expect(await post('ok', { note: 'far too long' })).toBe(400)
  })

  test('treats a missing body as an empty one', async () => {
    expect(await post('ok')).toBe(200)
  })
})
