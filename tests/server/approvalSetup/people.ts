/** A small org for approval set-up tests: a province with an office, and its people. */
import { expect } from 'vitest'
import { ApiClient, USER_PASSWORD, adminClient } from '../../utils/relay'
import type { TestRelay } from '../../utils/relay'

/** One signed-in person. */
export interface Person {
  readonly id: string
  readonly api: ApiClient
}

/** The org of a test. */
export interface Org {
  readonly admin: ApiClient
  readonly provinceId: string
  readonly officeId: string
  readonly sectionId: string
  readonly otherCityId: string
  /** 分管领导 in the office. */
  readonly leader: Person
  /** The leader's secretary. */
  readonly secretary: Person
  /** Someone else in the office. */
  readonly clerk: Person
  /** A unit administrator of the other city. */
  readonly cityAdmin: Person
  /** A deactivated account's id. */
  readonly goneId: string
}

let serial = 0

/** @returns the id of a new unit. */
async function unit(admin: ApiClient, parentId: string | null, kind: string, name: string) {
  serial += 1
  const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
    parentId,
    kind,
    name,
    code: `u${Date.now()}${serial}`,
  })
  expect(status).toBe(201)
  return body.id
}

/** @returns a new account signed in. */
async function person(
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
  const { api } = await new ApiClient(relay.url).login(username, USER_PASSWORD)
  return { id: body.id, api }
}

/** Builds the org on a relay. */
export async function buildOrg(relay: TestRelay): Promise<Org> {
  const admin = await adminClient(relay)
  const provinceId = await unit(admin, null, 'province', '山东省')
  const officeId = await unit(admin, provinceId, 'department', '省政府办公厅')
  const sectionId = await unit(admin, officeId, 'department', '秘书一处')
  const otherCityId = await unit(admin, provinceId, 'city', '济南市')
  const leader = await person(relay, admin, '王分管', officeId, ['signer'])
  const secretary = await person(relay, admin, '李秘书', officeId)
  const clerk = await person(relay, admin, '张科员', sectionId)
  const cityAdmin = await person(relay, admin, '赵管理', otherCityId, ['unitadmin'])
  const gone = await person(relay, admin, '钱离职', officeId)
  const deactivated = await admin.request('POST', `/admin/users/${gone.id}/deactivate`, {})
  expect(deactivated.status).toBe(200)
  return {
    admin,
    provinceId,
    officeId,
    sectionId,
    otherCityId,
    leader,
    secretary,
    clerk,
    cityAdmin,
    goneId: gone.id,
  }
}
