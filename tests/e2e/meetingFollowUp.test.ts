/**
 * A meeting's follow-up in Chromium (issue 21): the minutes, prefilled with the attendance, are
 * co-edited by two people in two browsers and then go through the approvals engine (送审 from the
 * editor, 核稿, 签发, 编号 and the registrar's stages) until the meeting page shows them approved;
 * the room's screen shows a QR code of the sign-in link; the agenda is read by an invitee; a
 * 议定事项 lands in its owner's 待办 and is marked done there, live on the meeting page; the rooms
 * admin keeps a deactivated room listed and re-enables it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
  editorBody,
  editorText,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
} from '../utils/browser'
import { actInUi, createPerson, createUnit, registerDeviceIfAsked } from '../utils/approvalsE2e'
import type { OfficePerson } from '../utils/approvalsE2e'
import { ADMIN_PASSWORD, USER_PASSWORD } from '../utils/relay'
import qrcode from 'qrcode-generator'
import { useE2E } from './setup'

/** @returns the dark modules of `text`'s QR code (level M, byte mode) as `row,col` keys. */
function darkModules(text: string): Set<string> {
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  const cells = new Set<string>()
  for (let row = 0; row < qr.getModuleCount(); row += 1) {
    for (let col = 0; col < qr.getModuleCount(); col += 1) {
      if (qr.isDark(row, col)) {
        cells.add(`${row},${col}`)
      }
    }
  }
  return cells
}

/** @returns the modules an SVG path of `M x y h n v1 h-n z` runs fills (quiet zone of 4 removed). */
function drawnModules(path: string): Set<string> {
  const cells = new Set<string>()
  for (const match of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, run] = match.slice(1).map(Number) as [number, number, number]
    for (let i = 0; i < run; i += 1) {
      cells.add(`${y - 4},${x + i - 4}`)
    }
  }
  return cells
}

describe('meeting follow-up', () => {
  const e2e = useE2E()
  const contexts: BrowserContext[] = []
  let organiser: OfficePerson
  let alice: OfficePerson
  let head: OfficePerson
  let chief: OfficePerson
  let registrar: OfficePerson
  let meetingId = ''
  let officeId = ''

  async function open(person: OfficePerson | null, path: string): Promise<Page> {
    const { context, page } = await newUser(e2e.browser)
    contexts.push(context)
    await loginThroughUi(
      page,
      e2e.app.url,
      person?.username ?? 'admin',
      person === null ? ADMIN_PASSWORD : USER_PASSWORD,
    )
    await page.goto(`${e2e.app.url}${path}`)
    return page
  }

  /** The input of an Element Plus field (its attributes land on the input itself). */
  const field = (page: Page, testId: string) =>
    page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first()

  /** Types `text` at the end of the body paragraph that holds `anchor`. */
  async function typeAfter(page: Page, anchor: string, text: string): Promise<void> {
    await editorBody(page).locator('p', { hasText: anchor }).first().click()
    await page.keyboard.press('End')
    await page.keyboard.type(text)
  }

  beforeAll(async () => {
    const app = e2e.app
    officeId = await createUnit(app, null, '山东省人民政府办公厅', 'mfu')
    const section = await createUnit(app, officeId, '秘书一处', 'mfu-ms1')
    // 编号 draws from the office's register (机关代字).
    const code = await app.admin.request('PUT', `/admin/units/${officeId}/agency-code`, {
      agencyCode: '鲁政办纪',
    })
    expect(code.status).toBe(200)
    organiser = await createPerson(app, 'sun.zz', '孙组织', section, null, ['drafter'])
    alice = await createPerson(app, 'li.yi', '李一', section, null, ['drafter'])
    head = await createPerson(app, 'wang.cz', '王处长', section, '科室负责人')
    chief = await createPerson(app, 'zhou.zr', '周主任', officeId, '主要领导')
    registrar = await createPerson(app, 'wu.ws', '吴文书', officeId, null, ['registrar'])
    const now = Date.now()
    const created = await organiser.api.request<{ id: string }>('POST', '/meetings', {
      title: '防汛工作调度会',
      start: new Date(now - 5 * 60_000).toISOString(),
      end: new Date(now + 55 * 60_000).toISOString(),
      attendees: [alice.id, head.id],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    meetingId = created.body.id
    expect(
      (await alice.api.request('POST', `/meetings/${meetingId}/rsvp`, { response: 'accept' }))
        .status,
    ).toBe(200)
    for (const person of [alice, head]) {
      const marked = await organiser.api.request('POST', `/meetings/${meetingId}/attendance`, {
        userId: person.id,
      })
      expect(marked.status).toBe(200)
    }
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close()
    }
  })

  test('the room’s screen shows a QR code of the sign-in link, rotating with the token', async () => {
    const page = await open(organiser, `/meetings/${meetingId}`)
    await page.locator('[data-testid="checkin-toggle"]').click()
    const qr = page.locator('[data-testid="checkin-qr"]')
    await qr.waitFor()
    const link = await page.locator('[data-testid="checkin-link"]').getAttribute('href')
    expect(link).toContain(`/meetings/${meetingId}/checkin?token=`)
    expect(await qr.getAttribute('data-text')).toBe(link)
    // The drawn modules are exactly the QR code of the link.
    const drawn = drawnModules((await qr.locator('path').getAttribute('d')) ?? '')
    expect(drawn.size).toBeGreaterThan(100)
    expect(drawn).toEqual(darkModules(link ?? ''))
    const box = await qr.boundingBox()
    expect(box?.width).toBeGreaterThan(150)
    await screenshot(page, 'meetings-checkin-qr')
    // A new token (as the screen fetches before expiry) draws a new code.
    await page.locator('[data-testid="checkin-toggle"]').click()
    await page.waitForTimeout(1100)
    await page.locator('[data-testid="checkin-toggle"]').click()
    await eventually(
      () => page.locator('[data-testid="checkin-qr"]').getAttribute('data-text'),
      (text) => text !== null && text !== link,
      'a rotated code',
    )
    const rotated = await page.locator('[data-testid="checkin-qr"]').getAttribute('data-text')
    const redrawn = await page.locator('[data-testid="checkin-qr"] path').getAttribute('d')
    expect(drawnModules(redrawn ?? '')).toEqual(darkModules(rotated ?? ''))
  })

  test('the agenda is read by an invitee; a 议定事项 lands in its owner’s 待办 and is done there', async () => {
    const page = await open(organiser, `/meetings/${meetingId}`)
    await page.locator('[data-testid="meeting-documents-add"]').click()
    await field(page, 'meeting-documents-title').fill('调度会议程')
    await page.locator('[data-testid="meeting-documents-save"]').click()
    const agenda = page.locator('[data-testid="meeting-documents"] li', { hasText: '调度会议程' })
    await agenda.waitFor()

    // A 议定事项 for 李一, due in a week.
    const due = new Date(Date.now() + 8 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10)
    await field(page, 'meeting-task-title').fill('修订城区防汛应急预案')
    await page.locator('[data-testid="meeting-task-owner"]').click()
    await page.keyboard.type('李一')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '李一' }).click()
    await page.locator('#meeting-task-due').fill(due)
    await page.locator('#meeting-task-due').press('Enter')
    await page.keyboard.press('Escape')
    await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
    await screenshot(page, 'meetings-task-form')
    await page.locator('[data-testid="meeting-task-save"]').click()
    const row = page.locator('[data-testid^="meeting-task-"][data-status="open"]', {
      hasText: '修订城区防汛应急预案',
    })
    await row.waitFor()
    const taskId = ((await row.getAttribute('data-testid')) ?? '').replace('meeting-task-', '')
    expect(await row.textContent()).toContain(due)
    await screenshot(page, 'meetings-page-follow-up')

    // 李一 sees the organiser's name and the agenda, and opens it read-only.
    const alicePage = await open(alice, `/meetings/${meetingId}`)
    expect(await alicePage.locator('[data-testid="meeting-organiser"]').textContent()).toBe(
      '孙组织',
    )
    await alicePage
      .locator('[data-testid="meeting-documents"] a', { hasText: '调度会议程' })
      .click()
    await alicePage.waitForURL(/\/documents\/[A-Za-z0-9_-]+$/)
    await editorBody(alicePage).waitFor()
    expect(await editorBody(alicePage).getAttribute('contenteditable')).toBe('false')

    // Her 待办 lists the task; she marks it done there; the meeting page follows live.
    await alicePage.goto(`${e2e.app.url}/approvals`)
    const todo = alicePage.locator(`[data-testid="todo-meeting-task-${taskId}"]`)
    await todo.waitFor()
    expect(await todo.textContent()).toContain('防汛工作调度会')
    await screenshot(alicePage, 'todos-meeting-tasks')
    await alicePage.locator(`[data-testid="todo-meeting-task-done-${taskId}"]`).click()
    await todo.waitFor({ state: 'detached' })
    await page.locator(`[data-testid="meeting-task-${taskId}"][data-status="done"]`).waitFor()
  })

  test('the minutes are co-edited in two browsers, sent for approval, approved, and shown so', async () => {
    const page = await open(organiser, `/meetings/${meetingId}`)
    await page.locator('[data-testid="meeting-minutes"]').click()
    await page.waitForURL(/\/documents\/[A-Za-z0-9_-]+$/)
    const minutesId = new URL(page.url()).pathname.split('/').at(-1) ?? ''
    await eventually(
      () => editorText(page),
      (text) => /出席：[^请]*李一/.test(text) && text.includes('王处长'),
      'the minutes prefilled with who came',
      15_000,
    )
    // 李一 becomes a co-editor of the minutes; 核稿 and 签发 read them.
    await organiser.api.share(minutesId, alice.id, 'editor')
    await organiser.api.share(minutesId, chief.id, 'reader')
    await organiser.api.share(minutesId, registrar.id, 'reader')
    const alicePage = await open(alice, `/meetings/${meetingId}`)
    await openDocument(alicePage, e2e.app.url, minutesId)
    await typeAfter(page, '纪要如下', '一、会议同意《城区防汛应急预案》修订稿。')
    await typeAfter(alicePage, '列席：', '（记录：李一）')
    for (const each of [page, alicePage]) {
      await eventually(
        () => editorText(each),
        (text) =>
          text.includes('一、会议同意《城区防汛应急预案》修订稿。') &&
          text.includes('（记录：李一）'),
        'both edits in both browsers',
        15_000,
      )
    }
    await screenshot(alicePage, 'meetings-minutes-coedited')

    // 送审 as for a 公文; 核稿, 签发, then the registrar's 用印, 分发 and 归档 (编号 is the relay's).
    await page.locator('[data-testid="start-approval"]').click()
    await page.locator('[data-testid="start-dialog"]').waitFor({ state: 'visible' })
    await page.locator('[data-testid="start-submit"]').click()
    expect(await registerDeviceIfAsked(page)).toBe(true)
    await page.waitForURL(/\/approvals\/[A-Za-z0-9_-]+$/)
    const approvalId = page.url().split('/').pop() ?? ''
    const meetingPage = await open(organiser, `/meetings/${meetingId}`)
    await meetingPage
      .locator('[data-testid="meeting-minutes-status"][data-status="running"]')
      .waitFor()
    for (const [person, action, opinion] of [
      [head, 'act-approve', '同意。'],
      [chief, 'act-signoff', '同意印发。'],
    ] as const) {
      const approver = await open(person, `/approvals/${approvalId}`)
      await approver.locator(`[data-testid="${action}"]`).waitFor()
      await actInUi(approver, action, opinion)
      await approver.locator(`[data-testid="${action}"]`).waitFor({ state: 'detached' })
    }
    // 编号 is the relay's; the registrar then seals, distributes and files.
    const stage = async (): Promise<string | null> => {
      const { body } = await organiser.api.request<{
        status: string
        currentStageId: string | null
      }>('GET', `/approvals/${approvalId}`)
      return body.status === 'running' ? body.currentStageId : body.status
    }
    await eventually(stage, (id) => id === 'seal', '用印 to be reached', 15_000)
    const clerk = await open(registrar, `/approvals/${approvalId}`)
    for (const [id, next] of [
      ['seal', 'distribute'],
      ['distribute', 'archive'],
      ['archive', 'approved'],
    ] as const) {
      await clerk.locator('[data-testid="act-approve"]').waitFor()
      await actInUi(clerk, 'act-approve', '')
      await eventually(stage, (now) => now === next, `${id} to be done`, 15_000)
    }
    await meetingPage
      .locator('[data-testid="meeting-minutes-status"][data-status="approved"]')
      .waitFor({ timeout: 15_000 })
    expect(
      await meetingPage.locator('[data-testid="meeting-minutes-status"]').textContent(),
    ).toContain('已审批印发')
    await screenshot(meetingPage, 'meetings-minutes-approved')
  })

  test('a deactivated room stays in the admin list, greyed, and is re-enabled', async () => {
    const created = await e2e.app.admin.request<{ id: string }>('POST', '/meeting-rooms', {
      name: '第三会议室',
      unitId: officeId,
      capacity: 12,
      shared: true,
    })
    expect(created.status).toBe(201)
    const page = await open(null, '/admin/meeting-rooms')
    const row = page.locator(`[data-testid="room-row-${created.body.id}"]`)
    await row.waitFor()
    await page.locator(`[data-testid="room-deactivate-${created.body.id}"]`).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator(`[data-testid="room-row-${created.body.id}"][data-active="false"]`).waitFor()
    const tr = page.locator('[data-testid="room-table"] tr', { hasText: '第三会议室' })
    expect(await tr.textContent()).toContain('已停用')
    await screenshot(page, 'meetings-rooms-admin-inactive')
    // Not offered for booking meanwhile.
    const offered = await organiser.api.request<{ rooms: { id: string }[] }>(
      'GET',
      '/meeting-rooms',
    )
    expect(offered.body.rooms.some((room) => room.id === created.body.id)).toBe(false)
    await page.locator(`[data-testid="room-reactivate-${created.body.id}"]`).click()
    await page.locator(`[data-testid="room-row-${created.body.id}"][data-active="true"]`).waitFor()
  })
})
