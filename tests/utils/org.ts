/** Builds units and signed-in accounts through the admin API, for tests that need a small org. */
import { expect } from 'vitest'
import { ApiClient, USER_PASSWORD } from './relay'
import type { TestRelay } from './relay'

/** One signed-in person. */
export interface Person {
  readonly id: string
  readonly name: string
  readonly api: ApiClient
  readonly token: string
}

let serial = 0

/** @returns the id of a new unit (a code unique in this process). */
export async function makeUnit(
  admin: ApiClient,
  parentId: string | null,
  kind: string,
  name: string,
): Promise<string> {
  serial += 1
  const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
    parentId,
    kind,
    name,
    code: `u${Date.now()}${serial}`,
  })
  expect(status, JSON.stringify(body)).toBe(201)
  return body.id
}

/** @returns a new account (科员 of its unit) signed in. */
export async function makePerson(
  relay: TestRelay,
  admin: ApiClient,
  name: string,
  unitId: string,
  roles: string[] = ['drafter'],
): Promise<Person> {
  serial += 1
  const username = `p${serial}_${Date.now() % 100000}`
  const { status, body } = await admin.request<{ id: string }>('POST', '/admin/users', {
    username,
    displayName: name,
    unitId,
    roles,
    password: USER_PASSWORD,
    posts: [{ unitId, title: '科员' }],
  })
  expect(status, JSON.stringify(body)).toBe(201)
  const { api, token } = await new ApiClient(relay.url).login(username, USER_PASSWORD)
  return { id: body.id, name, api, token }
}
