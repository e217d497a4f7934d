/**
 * 发起申请 end to end in real Chromium: the 请假 form rendered from its definition refuses an empty
 * submission with Chinese messages per field; filled from the keyboard, 5 days go through the extra
 * 分管领导 stage and 2 days do not; the approval page shows the form's data. 我的签名设备 lists the
 * browser's registered key, which can be revoked.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, loginThroughUi, newUser, screenshot } from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp } from '../utils/e2eApp'
import {
  actInUi,
  createPerson,
  createUnit,
  pickPeople,
  registerDeviceIfAsked,
  timelineOf,
} from '../utils/approvalsE2e'
import type { OfficePerson } from '../utils/approvalsE2e'

describe('approvals: applications from forms', () => {
  let app: E2EApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let applicant: OfficePerson
  const consoleProblems: string[] = []

  beforeAll(async () => {
    app = await startE2EApp()
    browser = await launchBrowser()
    const office = await createUnit(app, null, '山东省人民政府办公厅', 'szf')
    const sec = await createUnit(app, office, '秘书一处', 'szf-ms1')
    applicant = await createPerson(app, 'sun.li', '孙丽', sec, null)
    await createPerson(app, 'wang.cz', '王处长', sec, '科室负责人')
    await createPerson(app, 'qian.fzr', '钱副主任', office, '分管领导')
    await createPerson(app, 'zhou.rs', '周人事', sec, null)
    ;({ context, page } = await newUser(browser))
    page.on('console', (message) => {
      // page.goto reloads the app; a room socket still handshaking then is closed by the browser,
      // which Chromium reports. That is the reload, not the page at rest.
      const reload = message
        .text()
        .includes('WebSocket is closed before the connection is established')
      if ((message.type() === 'error' || message.type() === 'warning') && !reload) {
        consoleProblems.push(message.text())
      }
    })
    await loginThroughUi(page, app.url, applicant.username, 'Qilu#2026pass')
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await app?.close()
  })

  function field(key: string) {
    return page
      .locator(
        `input[data-testid="form-${key}"], textarea[data-testid="form-${key}"], [data-testid="form-${key}"] input, [data-testid="form-${key}"] textarea`,
      )
      .first()
  }

  async function apply(days: number, reason: string): Promise<string[]> {
    await page.goto(`${app.url}/approvals/new/leave`)
    await page.locator('[data-testid="start-form"] h1', { hasText: '请假申请' }).waitFor()
    await page.locator('[data-testid="form-leaveType"] .el-select').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '年休假' }).click()
    await field('startDate').fill('2026-12-21')
    await field('startDate').press('Enter')
    await field('days').fill(String(days))
    await field('days').press('Tab')
    await field('reason').fill(reason)
    await page.locator('[data-testid="start-form-submit"]').click()
    await registerDeviceIfAsked(page)
    await page.waitForURL(/\/approvals\/[A-Za-z0-9_-]+$/)
    await page.locator('[data-testid="timeline-entry"][data-type="submit"]').waitFor()
    await page
      .locator('[data-testid="approval-form-data"] dd[data-field="days"]', {
        hasText: String(days),
      })
      .waitFor()
    return page
      .locator('[data-testid="approval-stage"]')
      .evaluateAll((stages) =>
        stages.map((stage) => stage.querySelector('.name')?.textContent ?? ''),
      )
  }

  test('the 请假 form checks its fields, and 5 days add the 分管领导 stage while 2 do not', async () => {
    await page.goto(`${app.url}/approvals/new/leave`)
    await page.locator('[data-testid="start-form-submit"]').click()
    await page.locator('[data-testid="issue-leaveType"]').waitFor()
    expect(await page.locator('[data-testid="issue-leaveType"]').textContent()).toContain(
      '请假类型',
    )
    expect(await page.locator('[data-testid="issue-reason"]').textContent()).toContain('为必填项')
    await screenshot(page, 'approvals-form-issues')

    expect(await apply(5, '回老家探亲。')).toEqual(['科室负责人审批', '分管领导审批'])
    await screenshot(page, 'approvals-form-5-days')
    const fiveDays = page.url().split('/').pop() ?? ''
    expect(await apply(2, '家中有事。')).toEqual(['科室负责人审批'])
    const approvalId = page.url().split('/').pop() ?? ''

    // The applicant urges (催办); the head hands it to the vice director (转交), who approves.
    await actInUi(page, 'act-urge')
    await page.locator('[data-testid="timeline-entry"][data-type="urge"]').waitFor()
    const other = await newUser(browser)
    await loginThroughUi(other.page, app.url, 'wang.cz', 'Qilu#2026pass')
    await other.page.goto(`${app.url}/approvals/${approvalId}`)
    await actInUi(other.page, 'act-transfer', '请钱副主任审批。', async () => {
      await pickPeople(other.page, 'action-transfer-to', ['钱副主任'])
    })
    await other.page
      .locator('[data-testid="timeline-entry"][data-type="transfer"]', {
        hasText: '转交给 钱副主任',
      })
      .waitFor()
    // On the 5-day one the head asks the 人事 contact first (前加签), who then holds the stage.
    await other.page.goto(`${app.url}/approvals/${fiveDays}`)
    await actInUi(other.page, 'act-addSigner', '请先核对假期余额。', async () => {
      await pickPeople(other.page, 'action-add-users', ['周人事'])
      await other.page.locator('.el-radio', { hasText: '前加签' }).click()
    })
    await other.page
      .locator('[data-testid="timeline-entry"][data-type="addSigner"]', {
        hasText: '前加签：周人事',
      })
      .waitFor()
    await other.page
      .locator('[data-testid="approval-current-stage"]', { hasText: '待 周人事 办理' })
      .waitFor()
    await screenshot(other.page, 'approvals-form-add-signer')
    await other.context.close()
    const vice = await newUser(browser)
    await loginThroughUi(vice.page, app.url, 'qian.fzr', 'Qilu#2026pass')
    await vice.page.goto(`${app.url}/approvals/${approvalId}`)
    await actInUi(vice.page, 'act-approve', '同意。')
    await vice.page.locator('[data-testid="approval-status"]', { hasText: '已通过' }).waitFor()
    await vice.context.close()
    await page.locator('[data-testid="approval-status"]', { hasText: '已通过' }).waitFor()
    expect(await timelineOf(page)).toEqual([
      '孙丽 · 发起 · applied',
      '孙丽 · 催办 · applied',
      '王处长 · 转交 · applied',
      '钱副主任 · 同意 · applied',
    ])
    await screenshot(page, 'approvals-form-transfer-approved')

    // The same page in English.
    await page.evaluate(() => localStorage.setItem('qilu:locale', 'en'))
    await page.reload()
    await page.locator('[data-testid="approval-status"]', { hasText: 'Approved' }).waitFor()
    expect(await timelineOf(page)).toEqual([
      '孙丽 · Submitted · applied',
      '孙丽 · Urged · applied',
      '王处长 · Transferred · applied',
      '钱副主任 · Approved · applied',
    ])
    await screenshot(page, 'approvals-form-en')
    await page.evaluate(() => localStorage.setItem('qilu:locale', 'zh-CN'))
    await page.reload()
    await page.locator('[data-testid="approval-status"]', { hasText: '已通过' }).waitFor()
  })

  test('我的签名设备 lists this browser’s key, marked, and revokes it', async () => {
    await page.locator('[data-testid="user-menu"]').click()
    await page.locator('[data-testid="my-signing-devices"]').click()
    const device = page.locator('[data-testid="signing-device"]')
    await device.first().waitFor()
    expect(await device.count()).toBe(1)
    expect(await device.first().textContent()).toContain('本机')
    await screenshot(page, 'approvals-devices')
    await page.locator('[data-testid="revoke-device"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-testid="signing-device"]', { hasText: '已吊销' }).waitFor()
    expect(await page.locator('[data-testid="revoke-device"]').count()).toBe(0)
    expect(consoleProblems).toEqual([])
  })
})
