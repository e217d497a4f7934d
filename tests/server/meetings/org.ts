/** A small org for meetings tests: an office with a section, its people, rooms and helpers. */
import { afterAll, beforeAll, expect } from 'vitest'
import { adminClient } from '../../utils/relay'
import type { ApiClient, TestRelay } from '../../utils/relay'
import { makePerson as person, makeUnit as unit } from '../../utils/org'
import type { Person } from '../../utils/org'
import type { Backend } from '../approvalSetup/backends'

export type { Person }

/** The org of a test. */
export interface MeetingOrg {
  readonly admin: ApiClient
  readonly officeId: string
  /** A section with two members (a unit invitation reaches both). */
  readonly sectionId: string
  readonly otherCityId: string
  /** Unit admin of the office. */
  readonly officeAdmin: Person
  /** Unit admin of the other city (outside the office's scope). */
  readonly cityAdmin: Person
  readonly organiser: Person
  readonly alice: Person
  readonly bob: Person
  readonly carol: Person
  /** Members of the section. */
  readonly sec1: Person
  readonly sec2: Person
  /** Someone in another city, invited to nothing. */
  readonly outsider: Person
}

let serial = 0

/** Builds the org on a relay. */
export async function buildMeetingOrg(relay: TestRelay): Promise<MeetingOrg> {
  const admin = await adminClient(relay)
  const provinceId = await unit(admin, null, 'province', '山东省')
  const officeId = await unit(admin, provinceId, 'department', '省政府办公厅')
  const sectionId = await unit(admin, officeId, 'department', '秘书一处')
  const otherCityId = await unit(admin, provinceId, 'city', '济南市')
  const [officeAdmin, cityAdmin, organiser, alice, bob, carol, sec1, sec2, outsider] =
    await Promise.all([
      person(relay, admin, '钱管理', officeId, ['unitadmin']),
      person(relay, admin, '赵管理', otherCityId, ['unitadmin']),
      person(relay, admin, '孙组织', officeId),
      person(relay, admin, '李一', officeId),
      person(relay, admin, '王二', officeId),
      person(relay, admin, '张三', officeId),
      person(relay, admin, '周处员', sectionId),
      person(relay, admin, '吴处员', sectionId),
      person(relay, admin, '郑外人', otherCityId),
    ])
  return {
    admin,
    officeId,
    sectionId,
    otherCityId,
    officeAdmin,
    cityAdmin,
    organiser,
    alice,
    bob,
    carol,
    sec1,
    sec2,
    outsider,
  }
}

/**
 * Starts a backend with the org before a file's tests and stops it after them.
 * @param ready told the started backend and its org (the file keeps them for its tests)
 */
export function withMeetingOrg(
  backend: { start(): Promise<Backend> },
  ready: (started: Backend, org: MeetingOrg) => void,
): void {
  let started: Backend | null = null
  beforeAll(async () => {
    started = await backend.start()
    ready(started, await buildMeetingOrg(started.relay))
  }, 60_000)
  afterAll(async () => {
    await started?.stop()
  })
}

/** @returns a new room of the office (made by its unit admin). */
export async function makeRoom(
  org: MeetingOrg,
  fields: { name?: string; capacity?: number; shared?: boolean; unitId?: string } = {},
): Promise<string> {
  serial += 1
  const { status, body } = await org.officeAdmin.api.request<{ id: string }>(
    'POST',
    '/meeting-rooms',
    {
      name: fields.name ?? `第${serial}会议室`,
      unitId: fields.unitId ?? org.officeId,
      capacity: fields.capacity ?? 20,
      equipment: ['projector', 'video'],
      ...(fields.shared === undefined ? {} : { shared: fields.shared }),
    },
  )
  expect(status, JSON.stringify(body)).toBe(201)
  return body.id
}

/** ISO time `minutes` from a base (ms), in UTC (`Z`). */
export const at = (base: number, minutes: number): string =>
  new Date(base + minutes * 60_000).toISOString()

/** A whole hour some days ahead, so tests of one file do not meet each other's bookings. */
export function futureHour(daysAhead: number): number {
  const hour = 3_600_000
  return Math.ceil((Date.now() + daysAhead * 86_400_000) / hour) * hour
}

/** The §6 error body. */
export interface ErrorBody {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly details?: { suggestions?: { start: string; end: string; roomId: string }[] }
  }
}
