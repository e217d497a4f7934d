/** Routes registered from the shared HTTP contract validate what comes in and what goes out. */
import Fastify from 'fastify'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { z } from 'zod'
import { defineRoute, routeUrl } from '../../shared/http/contract'
import { handle, useContracts } from '../../server/http/contractRoute'

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
