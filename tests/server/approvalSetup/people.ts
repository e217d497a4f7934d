/** A small org for approval set-up tests: a province with an office, and its people. */
import { expect } from 'vitest'
import { adminClient } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { makePerson as person, makeUnit as unit } from '../../utils/org'
import type { Person } from '../../utils/org'

export type { Person }

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
