/**
 * The web client's HTTP calls in a deployment of several nodes (issue 23): when this relay cannot
 * be reached at all, reads and sign-in go to the next node; a call that changes something does not
 * (it may have been carried out before the connection broke), and an HTTP error is an answer, not
 * a reason to ask another node. The renderer's client against a real relay (Node's fetch: the
 * relay's CORS for the other nodes' pages is nodeCors.test.ts); the unreachable node is a port
 * nobody listens on.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ApiClient } from '../../../renderer/src/api/client'
import { ApiError } from '../../../renderer/src/api/errors'
import { login, me } from '../../../shared/http/routes/auth'
import { createDocument, listDocuments } from '../../../shared/http/routes/documents'
import { ADMIN_PASSWORD, startTestRelay } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'
import { freePort } from '../../utils/process'

let relay: TestRelay
let down: string

beforeAll(async () => {
  relay = await startTestRelay()
  down = `http://127.0.0.1:${await freePort()}`
})

afterAll(async () => {
  await relay.close()
})

/** A client whose own relay is down, with the live relay as the next node. */
async function signedInBehindDeadNode(): Promise<ApiClient> {
  const client = new ApiClient(
    () => down,
    () => [relay.url],
  )
  const { token } = await client.call(
    login,
    { body: { username: 'admin', password: ADMIN_PASSWORD } },
    { anonymous: true },
  )
  client.setToken(token)
  return client
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('HTTP calls when this relay node cannot be reached', () => {
  test('sign-in and reads go to the next node', async () => {
    const client = await signedInBehindDeadNode()
    expect((await client.call(me, {})).user.username).toBe('admin')
    expect(Array.isArray((await client.call(listDocuments, { query: {} })).documents)).toBe(true)
  })

  test('a call that changes something is not sent to another node: it fails as unreachable', async () => {
    const client = await signedInBehindDeadNode()
    const title = `不应重发 ${Date.now()}`
    const error = await failure(client.call(createDocument, { body: { title } }))
    expect(error.code).toBe('network')
    // Nothing was created on the live node either.
    const listed = await client.call(listDocuments, { query: {} })
    expect(listed.documents.map((document) => document.title)).not.toContain(title)
  })

  test('an HTTP error is the relay’s answer: not retried on another node', async () => {
    // The live relay answers first; the next node is the one that is down.
    const client = new ApiClient(
      () => relay.url,
      () => [down],
    )
    const error = await failure(
      client.call(
        login,
        { body: { username: 'admin', password: 'wrong password' } },
        { anonymous: true },
      ),
    )
    expect(error.status).toBe(401)
  })

  test('with every node down, a read fails as unreachable', async () => {
    const client = new ApiClient(
      () => down,
      () => [down],
    )
    expect((await failure(client.call(me, {}))).code).toBe('network')
  })
})
