/**
 * Meetings (issue 21) in Chromium: scheduling with free/busy and a refused first choice whose
 * suggested slot is taken; invitees accept, send a deputy and decline with a reason while the
 * organiser watches the counts change live; sign-in by the code's link and by the organiser;
 * minutes prefilled with the attendance; the calendar, the 工作台 card and the rooms admin.
 */
import fs from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { editorText, eventually, loginThroughUi, newUser, screenshot } from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { ADMIN_PASSWORD, USER_PASSWORD } from '../utils/relay'
import { refusedRequests, useE2E } from './setup'

const MINUTE = 60_000
const SHANGHAI = 8 * 60 * MINUTE
const pad = (n: number): string => String(n).padStart(2, '0')
/** Shanghai date and clock of an instant. */
function local(ms: number): { date: string; clock: string } {
  const d = new Date(ms + SHANGHAI)
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    clock: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  }
}
const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * A meeting inside today's sign-in window (it opens 30 minutes before the start): starting in
 * 5–10 minutes, an hour long, or (late in the Shanghai evening) started a little ago and ending
 * at 23:59 so that it stays on one Shanghai day.
 */
/** What the sign-in test needs left of the Shanghai day (it takes about a minute). */
const SIGN_IN_TEST_MS = 3 * MINUTE

/**
 * Waits for the next Shanghai day when less than SIGN_IN_TEST_MS of this one is left: a meeting
 * on one day would end (and its sign-in close) before the test signs anyone in.
 */
async function clearOfMidnight(): Promise<void> {
  const now = Date.now()
  const nextDay = Date.parse(`${local(now).date}T00:00:00+08:00`) + 24 * 60 * MINUTE
  if (nextDay - now < SIGN_IN_TEST_MS) {
    await new Promise((resolve) => setTimeout(resolve, nextDay - now + 5_000))
  }
}

function slotToday(): { start: number; end: number } {
  const now = Date.now()
  const dayStart = Date.parse(`${local(now).date}T00:00:00+08:00`)
  const dayEnd = dayStart + 24 * 60 * MINUTE - MINUTE
  let start = Math.ceil(now / (5 * MINUTE)) * 5 * MINUTE + 5 * MINUTE
  if (start + 30 * MINUTE > dayEnd) {
    start = Math.floor(now / (5 * MINUTE)) * 5 * MINUTE - 15 * MINUTE
  }
  return { start, end: Math.min(start + 60 * MINUTE, dayEnd) }
}

/** Picks a person in a PeoplePicker by typing their name. */
async function pickPerson(page: Page, testid: string, person: E2EUser): Promise<void> {
  await page.locator(`[data-testid="${testid}"]`).click()
  await page.keyboard.type(person.displayName)
  const option = page.locator(`[data-testid="person-option-${person.username}"]:visible`)
  await option.click()
  await page.keyboard.press('Escape')
}

/** Signs a person in through the login form in a fresh profile and opens `path`. */
async function openAs(browser: Browser, user: E2EUser, path: string, url: string) {
  const { context, page } = await newUser(browser)
  await loginThroughUi(page, url, user.username, user.password)
  await page.goto(`${url}${path}`)
  return { context, page }
}

describe('meetings', () => {
  const e2e = useE2E({
    allowConsole: [
      {
        text: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        reason:
          'the offline RSVP test takes the browser offline on purpose; the page asks the relay and ' +
          'falls back to its local copy and outbox when the request fails',
      },
      refusedRequests(
        [403, 409],
        'the first choice of room is refused (409 room_conflict), a forged sign-in code (403 ' +
          'bad_token) and a sign-in before the window opens (409 checkin_closed): all on purpose, ' +
          'all shown to the user',
      ),
    ],
  })
  let organiser: E2EUser
  let alice: E2EUser
  let bob: E2EUser
  let carol: E2EUser
  let dave: E2EUser
  let eve: E2EUser
  let roomA = ''
  let roomB = ''

  beforeAll(async () => {
    ;[organiser, alice, bob, carol, dave, eve] = await Promise.all([
      e2e.app.createUser('sun.zuzhi', '孙组织'),
      e2e.app.createUser('li.yi', '李一'),
      e2e.app.createUser('wang.er', '王二'),
      e2e.app.createUser('zhang.san', '张三'),
      e2e.app.createUser('zhao.si', '赵四'),
      e2e.app.createUser('qian.wu', '钱五'),
    ])
    const unit = await e2e.app.admin.request<{ id: string }>('POST', '/admin/units', {
      parentId: null,
      kind: 'province',
      name: '山东省人民政府办公厅',
      code: 'mtg-e2e',
    })
    expect(unit.status).toBe(201)
    const room = async (name: string, capacity: number): Promise<string> => {
      const created = await e2e.app.admin.request<{ id: string }>('POST', '/meeting-rooms', {
        name,
        unitId: unit.body.id,
        capacity,
        equipment: ['projector', 'video'],
        shared: true,
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      return created.body.id
    }
    roomA = await room('第一会议室', 20)
    roomB = await room('第二会议室', 30)
  })

  test('schedule with free/busy and a suggested slot, live answers, sign-in, minutes', async () => {
    await clearOfMidnight()
    const slot = slotToday()
    // Someone else holds 第一会议室 at that time, with 张三 invited: her time is busy, the room taken.
    const blocker = await e2e.app.admin.request('POST', '/meetings', {
      title: '专题协调会',
      start: iso(slot.start),
      end: iso(slot.end),
      roomId: roomA,
      attendees: [carol.id],
    })
    expect(blocker.status, JSON.stringify(blocker.body)).toBe(201)

    const org = await openAs(e2e.browser, organiser, '/meetings/new', e2e.app.url)
    const page = org.page
    await page.locator('#meeting-title').fill('第 12 次局务会议')
    await page.locator('#meeting-date').fill(local(slot.start).date)
    await page.locator('#meeting-start').fill(local(slot.start).clock)
    await page.locator('#meeting-end').fill(local(slot.end).clock)
    await page.locator('[data-testid="meeting-room"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '第一会议室' }).click()
    for (const person of [alice, bob, carol, dave]) {
      await pickPerson(page, 'meeting-attendees', person)
    }
    // 张三's busy block collides with the chosen time; the others are free.
    await page.locator(`[data-testid="busy-row-${carol.id}"][data-conflict="true"]`).waitFor()
    await page.locator(`[data-testid="busy-row-${alice.id}"][data-conflict="false"]`).waitFor()
    expect(await page.locator('[data-testid="busy-conflicts"]').textContent()).toContain('张三')
    await page.locator('[data-testid="earliest-slot"] button').waitFor()
    await screenshot(page, 'meetings-new-freebusy')

    await page.locator('[data-testid="meeting-submit"]').click()
    const conflict = page.locator('[data-testid="room-conflict"]')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain('已被预订')
    const suggestions = page.locator('[data-testid="conflict-suggestion"]')
    expect(await suggestions.count()).toBeGreaterThan(0)
    await screenshot(page, 'meetings-new-conflict')
    // Take the same time in 第二会议室.
    const sameTime = suggestions.filter({ hasText: '第二会议室' }).filter({
      hasText: `${local(slot.start).clock}–`,
    })
    await sameTime.first().click()
    await conflict.waitFor({ state: 'detached' })
    expect(await page.locator('[data-testid="meeting-room"]').textContent()).toContain('第二会议室')
    await page.locator('[data-testid="meeting-submit"]').click()
    await page.waitForURL(/\/meetings\/(?!new$)[A-Za-z0-9_-]+$/)
    const meetingId = new URL(page.url()).pathname.split('/').at(-1) ?? ''
    await page.locator('[data-testid="meeting-live"][data-live="true"]').waitFor()
    expect(await page.locator('[data-testid="meeting-place"]').textContent()).toBe('第二会议室')
    const booked = await organiser.api.request<{ roomId: string; start: string }>(
      'GET',
      `/meetings/${meetingId}`,
    )
    expect(booked.body.roomId).toBe(roomB)
    expect(Date.parse(booked.body.start)).toBe(slot.start)
    expect(await page.locator('[data-testid="count-invited"]').textContent()).toBe('4')
    expect(await page.locator('[data-testid="count-pending"]').textContent()).toBe('4')

    // Three invitees answer, each in their own browser.
    const answer = async (
      person: E2EUser,
      response: 'accept' | 'deputy' | 'decline',
      extra: (p: Page) => Promise<void> = async () => {},
    ): Promise<void> => {
      const session = await openAs(e2e.browser, person, `/meetings/${meetingId}`, e2e.app.url)
      await session.page.locator(`[data-testid="rsvp-${response}"]`).click()
      await extra(session.page)
      await session.page.locator('[data-testid="rsvp-send"]').click()
      await session.page
        .locator(`[data-testid="rsvp"][data-current="${response}"]`)
        .waitFor({ timeout: 10_000 })
      if (response === 'decline') {
        await screenshot(session.page, 'meetings-rsvp-decline')
      }
      await session.context.close()
    }
    await answer(alice, 'accept')
    await eventually(
      () => page.locator('[data-testid="count-accepted"]').textContent(),
      (text) => text === '1',
      'the organiser to see the acceptance live',
    )
    await answer(bob, 'deputy', (p) => pickPerson(p, 'rsvp-deputy-picker', eve))
    await eventually(
      () => page.locator('[data-testid="count-deputy"]').textContent(),
      (text) => text === '1',
      'the organiser to see the deputy live',
    )
    await answer(carol, 'decline', (p) =>
      p.getByPlaceholder('不参加的原因').fill('同时段有外事接待'),
    )
    await eventually(
      () => page.locator('[data-testid="count-declined"]').textContent(),
      (text) => text === '1',
      'the organiser to see the refusal live',
    )
    // The deputy was invited in 王二's place; the reason shows in the list.
    await page.locator(`[data-testid="attendee-${eve.id}"]`, { hasText: '代 王二 参会' }).waitFor()
    expect(await page.locator(`[data-testid="attendee-${carol.id}"]`).textContent()).toContain(
      '同时段有外事接待',
    )
    await screenshot(page, 'meetings-organiser-counts')

    // The sign-in code's link signs 李一 and the deputy 钱五 in; a forged code is refused clearly.
    await page.locator('[data-testid="checkin-toggle"]').click()
    const link = await page.locator('[data-testid="checkin-link"]').getAttribute('href')
    expect(link).toContain(`/meetings/${meetingId}/checkin?token=`)
    await screenshot(page, 'meetings-checkin-code')
    for (const person of [alice, eve]) {
      const session = await openAs(
        e2e.browser,
        person,
        new URL(link ?? '').pathname + new URL(link ?? '').search,
        e2e.app.url,
      )
      await session.page
        .locator(
          '[data-testid="checkin-page"][data-state="done"], [data-testid="checkin-page"][data-state="late"]',
        )
        .waitFor()
      if (person === eve) {
        await screenshot(session.page, 'meetings-checkin-success')
        const forged = new URL(link ?? '')
        forged.searchParams.set('token', `${forged.searchParams.get('token') ?? ''}x`)
        await session.page.goto(`${e2e.app.url}${forged.pathname}${forged.search}`)
        const refused = session.page.locator('[data-testid="checkin-page"][data-state="failed"]')
        await refused.waitFor()
        expect(await refused.textContent()).toContain('签到码无效')
        await screenshot(session.page, 'meetings-checkin-bad-token')
      }
      await session.context.close()
    }
    for (const person of [alice, eve]) {
      await page
        .locator(`[data-testid="attendance-${person.id}"]:not([data-state="absent"])`)
        .waitFor()
    }
    // 赵四 forgot his phone: the organiser marks him present.
    await page.locator(`[data-testid="mark-${dave.id}"]`).click()
    await page.locator(`[data-testid="attendance-${dave.id}"][data-state="came"]`).waitFor()
    expect(await page.locator('[data-testid="count-checkedIn"]').textContent()).toBe('3')
    await screenshot(page, 'meetings-attendance')

    // The meeting exports as .ics in Asia/Shanghai time.
    const [ics] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出日历文件（.ics）' }).click(),
    ])
    const icsText = fs.readFileSync((await ics.path()) ?? '', 'utf8')
    expect(icsText).toContain('BEGIN:VCALENDAR')
    expect(icsText).toContain('SUMMARY:第 12 次局务会议')
    expect(icsText).toContain('TZID=Asia/Shanghai')

    // 生成纪要 opens the minutes, prefilled with who came and who sent apologies.
    await page.locator('[data-testid="meeting-minutes"]').click()
    await page.waitForURL(/\/documents\/[A-Za-z0-9_-]+$/)
    const text = await eventually(
      () => editorText(page),
      (value) => value.includes('出席：'),
      'the minutes to load',
      15_000,
    )
    for (const name of ['李一', '钱五', '赵四']) {
      expect(text).toMatch(new RegExp(`出席：[^请]*${name}`))
    }
    expect(text).toMatch(/请假：[^列]*张三/)
    await screenshot(page, 'meetings-minutes')

    // The calendar shows the meeting in the week and the month; the 工作台 lists it today.
    await page.goto(`${e2e.app.url}/meetings`)
    await page.locator('[data-testid="calendar-item"]', { hasText: '第 12 次局务会议' }).waitFor()
    await screenshot(page, 'meetings-calendar-week')
    // 第一会议室's calendar beside mine: the booking that refused my first choice shows there.
    await page.locator('[data-testid="calendar-room"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '第一会议室' }).click()
    await page.locator('[data-testid="calendar-room-booking"]').first().waitFor()
    const [calendarIcs] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="export-range"]').click(),
    ])
    expect(fs.readFileSync((await calendarIcs.path()) ?? '', 'utf8')).toContain(
      'SUMMARY:第 12 次局务会议',
    )
    await page.locator('[data-testid="calendar"]').focus()
    await page.keyboard.press('d')
    await page.locator('[data-testid="calendar"][data-mode="day"]').waitFor()
    const roomBooking = page.locator('[data-testid="calendar-room-booking"]').first()
    await roomBooking.waitFor()
    // Side by side with my meeting at the same time, not hidden under it.
    const theirs = await roomBooking.boundingBox()
    const mine = await page
      .locator('[data-testid="calendar-item"]', { hasText: '第 12 次局务会议' })
      .boundingBox()
    expect(theirs !== null && mine !== null).toBe(true)
    if (theirs !== null && mine !== null) {
      expect(theirs.x >= mine.x + mine.width || mine.x >= theirs.x + theirs.width).toBe(true)
    }
    await screenshot(page, 'meetings-calendar-day-room')
    await page.locator('[data-testid="calendar"]').focus()
    await page.keyboard.press('m')
    await page.locator('[data-testid="calendar"][data-mode="month"]').waitFor()
    await page.locator('[data-testid="calendar-item"]', { hasText: '第 12 次局务会议' }).waitFor()
    await screenshot(page, 'meetings-calendar-month')
    await page.goto(`${e2e.app.url}/`)
    await page.locator('[data-testid="today-meetings"]', { hasText: '第 12 次局务会议' }).waitFor()
    await screenshot(page, 'meetings-workbench-today')
    await org.context.close()
  }, 300_000)

  test('an answer given offline is kept, survives a reload, and is sent on reconnect', async () => {
    const slot = slotToday()
    const created = await organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '防汛工作调度会',
      start: iso(slot.start + 24 * 60 * MINUTE),
      end: iso(slot.end + 24 * 60 * MINUTE),
      attendees: [alice.id, bob.id],
      onlineLink: 'https://meet.example.gov.cn/fx',
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const meetingId = created.body.id
    const { context, page } = await openAs(
      e2e.browser,
      alice,
      `/meetings/${meetingId}`,
      e2e.app.url,
    )
    await page.locator('[data-testid="meeting-live"][data-live="true"]').waitFor()
    // The service worker has cached the app shell before the network goes.
    await eventually(
      () =>
        page.evaluate(() =>
          navigator.serviceWorker.ready.then(
            (registration) => registration.active?.state ?? 'none',
          ),
        ),
      (state) => state === 'activated',
      'the service worker to activate',
    )

    await context.setOffline(true)
    await page.locator('[data-testid="meeting-live"][data-live="false"]').waitFor()
    await page.locator('[data-testid="rsvp-tentative"]').click()
    await page.locator('[data-testid="rsvp-send"]').click()
    await page.locator('[data-testid="rsvp-queued"]', { hasText: '待定' }).waitFor()
    // Nothing reached the relay.
    const before = await organiser.api.request<{ counts: { tentative: number } }>(
      'GET',
      `/meetings/${meetingId}`,
    )
    expect(before.body.counts.tentative).toBe(0)

    // A reload while offline shows the meeting from this device's copy, and the kept answer.
    await page.reload()
    await page.locator('[data-testid="meeting-title"]', { hasText: '防汛工作调度会' }).waitFor()
    await page.locator('[data-testid="rsvp-queued"]', { hasText: '待定' }).waitFor()
    await screenshot(page, 'meetings-rsvp-offline')

    await context.setOffline(false)
    await page
      .locator('[data-testid="rsvp"][data-current="tentative"]')
      .waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-testid="rsvp-queued"]').count()).toBe(0)
    const after = await organiser.api.request<{ counts: { tentative: number } }>(
      'GET',
      `/meetings/${meetingId}`,
    )
    expect(after.body.counts.tentative).toBe(1)

    // Tomorrow's meeting is not open for sign-in yet: the link says so plainly.
    const code = await organiser.api.request<{ url: string }>(
      'GET',
      `/meetings/${meetingId}/checkin-token`,
    )
    expect(code.status).toBe(200)
    await page.goto(`${e2e.app.url}${code.body.url}`)
    const closed = page.locator('[data-testid="checkin-page"][data-state="failed"]')
    await closed.waitFor()
    expect(await closed.textContent()).toContain('当前不在签到时间内')
    await screenshot(page, 'meetings-checkin-closed')
    await context.close()
  })

  test('a weekly meeting is booked for every week until its end date', async () => {
    const section = await e2e.app.admin.request<{ id: string }>('POST', '/admin/units', {
      parentId: null,
      kind: 'province',
      name: '综合处',
      code: 'mtg-e2e-zh',
    })
    expect(section.status).toBe(201)
    for (const [username, displayName] of [
      ['chen.zh', '陈综合'],
      ['lin.zh', '林综合'],
    ] as const) {
      const member = await e2e.app.admin.request('POST', '/admin/users', {
        username,
        displayName,
        unitId: section.body.id,
        password: USER_PASSWORD,
        posts: [{ unitId: section.body.id, title: '科员' }],
      })
      expect(member.status, JSON.stringify(member.body)).toBe(201)
    }
    const today = local(Date.now()).date
    const first = local(Date.parse(`${today}T09:00:00+08:00`) + 7 * 24 * 60 * MINUTE).date
    const third = local(Date.parse(`${first}T09:00:00+08:00`) + 14 * 24 * 60 * MINUTE).date
    const until = local(Date.parse(`${first}T09:00:00+08:00`) + 21 * 24 * 60 * MINUTE).date
    const { context, page } = await openAs(e2e.browser, organiser, '/meetings/new', e2e.app.url)
    await page.locator('#meeting-title').fill('处务会')
    await page.locator('#meeting-date').fill(first)
    await page.locator('#meeting-start').fill('09:00')
    await page.locator('#meeting-end').fill('10:00')
    await page.getByText('每周重复').click()
    await page.locator('#meeting-until').fill(until)
    await pickPerson(page, 'meeting-attendees', dave)
    // And the whole 综合处 (two members), invited as a unit.
    await page.locator('.el-select', { has: page.locator('#meeting-units') }).click()
    await page.keyboard.type('综合处')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '综合处' }).click()
    await page.keyboard.press('Escape')
    await screenshot(page, 'meetings-new-weekly')
    await page.locator('[data-testid="meeting-submit"]').click()
    await page.waitForURL(/\/meetings\/(?!new$)[A-Za-z0-9_-]+$/)
    await eventually(
      () => page.locator('[data-testid="count-invited"]').textContent(),
      (text) => text === '3',
      '赵四 and the two members of 综合处 to be invited',
    )
    for (const name of ['陈综合', '林综合']) {
      await page.locator('[data-testid="attendee-table"] tr', { hasText: name }).waitFor()
    }
    // 赵四 finds the third week's occurrence in his calendar.
    await context.close()
    const theirs = await openAs(e2e.browser, dave, `/meetings?view=week&date=${third}`, e2e.app.url)
    const entry = theirs.page.locator('[data-testid="calendar-item"]', { hasText: '处务会' })
    await entry.waitFor()
    expect(await entry.count()).toBe(1)
    // The same screens in English.
    await theirs.page.evaluate(() => localStorage.setItem('qilu:locale', 'en'))
    await theirs.page.reload()
    await theirs.page.locator('[data-testid="calendar-range"]', { hasText: ' to ' }).waitFor()
    await screenshot(theirs.page, 'meetings-calendar-week-en')
    await entry.click()
    await theirs.page.locator('[data-testid="rsvp"]', { hasText: 'My answer' }).waitFor()
    await screenshot(theirs.page, 'meetings-page-en')
    await theirs.context.close()
  })

  test('a week without meetings says so; the rooms admin lists and edits rooms', async () => {
    const session = await openAs(
      e2e.browser,
      dave,
      '/meetings?view=week&date=2027-03-10',
      e2e.app.url,
    )
    await session.page
      .locator('[data-testid="calendar-empty"]', { hasText: '本周暂无会议' })
      .waitFor()
    await screenshot(session.page, 'meetings-calendar-empty')
    await session.context.close()

    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, 'admin', ADMIN_PASSWORD)
    await page.goto(`${e2e.app.url}/admin/meeting-rooms`)
    const table = page.locator('[data-testid="room-table"]')
    await table.locator('tr', { hasText: '第一会议室' }).waitFor()
    await table
      .locator('tr', { hasText: '第二会议室' })
      .getByRole('button', { name: '编辑' })
      .click()
    await page.locator('#room-name').fill('第二会议室（视频）')
    await page.locator('[data-testid="room-save"]').click()
    await table.locator('tr', { hasText: '第二会议室（视频）' }).waitFor()
    await screenshot(page, 'meetings-rooms-admin')
    await context.close()
  })
})
