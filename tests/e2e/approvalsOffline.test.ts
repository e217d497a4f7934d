/**
 * Two 或签 approvers act while offline, in real Chromium against the real relay: each signs 同意
 * on their device (the digest from the device's copy of the 公文) and sees it 待发送; on reconnect
 * exactly one is applied, the other is told in plain words that theirs was superseded, and both
 * browsers end with the same timeline. The stage is a 自由流程 made in the start dialog.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  eventually,
  launchBrowser,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
} from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp } from '../utils/e2eApp'
import {
  actInUi,
  createPerson,
  createUnit,
  pickPeople,
  registerDeviceIfAsked,
  timelineOf,
  writeNotice,
} from '../utils/approvalsE2e'
import type { OfficePerson } from '../utils/approvalsE2e'

describe('approvals: two 或签 approvers offline', () => {
  let app: E2EApp
  let browser: Browser
  const contexts: BrowserContext[] = []
  let drafter: OfficePerson
  let anyA: OfficePerson
  let anyB: OfficePerson
  let documentId: string

  async function open(person: OfficePerson): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await newUser(browser)
    contexts.push(opened.context)
    await loginThroughUi(opened.page, app.url, person.username, 'Qilu#2026pass')
    return opened
  }

  beforeAll(async () => {
    app = await startE2EApp()
    browser = await launchBrowser()
    const office = await createUnit(app, null, '山东省人民政府办公厅', 'szf')
    const sec = await createUnit(app, office, '秘书一处', 'szf-ms1')
    drafter = await createPerson(app, 'li.ming', '李明', sec, null, ['drafter'])
    anyA = await createPerson(app, 'jia.sh', '甲审核', sec, null)
    anyB = await createPerson(app, 'yi.sh', '乙审核', sec, null)
    documentId = await drafter.api.createDocument('关于调整办公用房的通知')
    await writeNotice(app, drafter, documentId, '关于调整办公用房的通知', [
      '各处室：',
      '因工作需要，现对部分办公用房作如下调整。',
    ])
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close()
    }
    await browser?.close()
    await app?.close()
  })

  test('exactly one wins on reconnect; the other is told; both show the same timeline', async () => {
    // The drafter starts a 自由流程: one 或签 stage of 甲审核 and 乙审核.
    const { page: drafterPage } = await open(drafter)
    await openDocument(drafterPage, app.url, documentId)
    await drafterPage.locator('[data-testid="start-approval"]').click()
    await drafterPage.locator('[data-testid="start-dialog"]').waitFor({ state: 'visible' })
    await drafterPage.locator('[data-flow="adhoc"]').click()
    await drafterPage
      .locator('input[data-testid="adhoc-stage-name"], [data-testid="adhoc-stage-name"] input')
      .fill('处内审核')
    await drafterPage.locator('[data-testid="adhoc-stage-mode"]').click()
    await drafterPage.locator('.el-select-dropdown__item:visible', { hasText: '或签' }).click()
    await pickPeople(drafterPage, 'adhoc-stage-people', ['甲审核', '乙审核'])
    await screenshot(drafterPage, 'approvals-adhoc-dialog')
    await drafterPage.locator('[data-testid="start-submit"]').click()
    await registerDeviceIfAsked(drafterPage)
    await drafterPage.waitForURL(/\/approvals\/[A-Za-z0-9_-]+$/)
    const approvalId = drafterPage.url().split('/').pop() ?? ''
    await drafterPage.locator('[data-testid="timeline-entry"][data-type="submit"]').waitFor()

    // Both approvers open it (the 公文 is on their devices now) and register their devices with a comment.
    const a = await open(anyA)
    const b = await open(anyB)
    for (const [page, note] of [
      [a.page, '已阅，稍后处理。'],
      [b.page, '收到。'],
    ] as const) {
      await page.goto(`${app.url}/approvals/${approvalId}`)
      await page.locator('[data-testid="approval-document"] .paper').waitFor()
      await page.locator('[data-testid="act-approve"]').waitFor()
      await actInUi(page, 'act-comment', note)
      await page
        .locator('[data-testid="timeline-entry"][data-type="comment"][data-effect="applied"]', {
          hasText: note,
        })
        .waitFor()
    }

    // Both go offline and approve: signed and queued on each device (待发送).
    await a.context.setOffline(true)
    await b.context.setOffline(true)
    for (const page of [a.page, b.page]) {
      await page
        .locator('[data-testid="approval-offline"]')
        .waitFor({ timeout: 15_000 })
        .catch(() => undefined)
      await actInUi(page, 'act-approve', '同意。')
      await page.locator('[data-testid="timeline-entry"][data-effect="queued"]').waitFor()
    }
    await screenshot(b.page, 'approvals-offline-queued')

    // A reconnects first: applied. Then B: superseded, and told so in plain words.
    await a.context.setOffline(false)
    await a.page
      .locator('[data-testid="timeline-entry"][data-type="approve"][data-effect="applied"]')
      .waitFor({ timeout: 20_000 })
    await b.context.setOffline(false)
    await b.page
      .locator('.el-message', { hasText: '未生效：该环节在此期间已由他人处理' })
      .waitFor({ timeout: 20_000 })
    await b.page
      .locator('[data-testid="timeline-entry"][data-type="approve"][data-effect="superseded"]')
      .waitFor({ timeout: 20_000 })
    await screenshot(b.page, 'approvals-offline-superseded')

    const expected = [
      '李明 · 发起 · applied',
      '甲审核 · 意见 · applied',
      '乙审核 · 意见 · applied',
      '甲审核 · 同意 · applied',
      '乙审核 · 同意 · superseded',
    ]
    for (const page of [a.page, b.page, drafterPage]) {
      await eventually(
        () => timelineOf(page),
        (lines) => JSON.stringify(lines) === JSON.stringify(expected),
        'the same timeline everywhere',
        20_000,
      )
    }
    expect(
      await a.page.locator('[data-testid="timeline-entry"][data-effect="queued"]').count(),
    ).toBe(0)
    expect(await b.page.locator('[data-testid="approval-status"]').textContent()).toContain(
      '已通过',
    )
    await screenshot(a.page, 'approvals-offline-winner')
  })
})
