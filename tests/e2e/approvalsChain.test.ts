/**
 * The approval screens end to end, in real Chromium against the real relay: a drafter sends a 通知
 * down the outgoing chain from the 公文 editor (送审, registering the browser's signing device on the
 * way); 核稿 returns it with an opinion; the drafter resubmits; 核稿 and the 会签 head approve; the
 * chief's secretary signs 签发 代 the chief (a delegation); 编号 gives 鲁政办发〔2026〕1号. Every
 * signature is checked in the page (✓).
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
  rewriteBody,
  timelineOf,
  writeNotice,
} from '../utils/approvalsE2e'
import type { OfficePerson } from '../utils/approvalsE2e'

describe('approvals: the 公文 outgoing chain through the approval screens', () => {
  let app: E2EApp
  let browser: Browser
  const contexts: BrowserContext[] = []
  const consoleProblems: string[] = []
  let drafter: OfficePerson
  let head: OfficePerson
  let legal: OfficePerson
  let chief: OfficePerson
  let secretary: OfficePerson
  let registrar: OfficePerson
  let documentId: string

  async function open(person: OfficePerson): Promise<Page> {
    const { context, page } = await newUser(browser)
    contexts.push(context)
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        consoleProblems.push(`${person.name}: ${message.text()}`)
      }
    })
    await loginThroughUi(page, app.url, person.username, 'Qilu#2026pass')
    return page
  }

  beforeAll(async () => {
    app = await startE2EApp()
    browser = await launchBrowser()
    const office = await createUnit(app, null, '山东省人民政府办公厅', 'szf')
    const sec = await createUnit(app, office, '秘书一处', 'szf-ms1')
    const legalUnit = await createUnit(app, office, '法规处', 'szf-fg')
    const { status } = await app.admin.request('PUT', `/admin/units/${office}/agency-code`, {
      agencyCode: '鲁政办发',
    })
    expect(status).toBe(200)
    drafter = await createPerson(app, 'li.ming', '李明', sec, null, ['drafter'])
    head = await createPerson(app, 'wang.cz', '王处长', sec, '科室负责人')
    legal = await createPerson(app, 'zhao.cz', '赵处长', legalUnit, '科室负责人')
    chief = await createPerson(app, 'zhou.zr', '周主任', office, '主要领导')
    secretary = await createPerson(app, 'zheng.ms', '郑秘书', office, null)
    registrar = await createPerson(app, 'wu.ws', '吴文书', office, null, ['registrar'])
    // The chief lets the secretary sign 签发 for him (代).
    const delegation = await chief.api.request('POST', '/delegations', {
      toUserId: secretary.id,
      scope: 'signoff',
      until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    })
    expect(delegation.status, JSON.stringify(delegation.body)).toBe(201)
    documentId = await drafter.api.createDocument('关于做好冬季安全生产工作的通知')
    await writeNotice(app, drafter, documentId, '关于做好冬季安全生产工作的通知', [
      '各市人民政府，省政府各部门：',
      '为切实做好今冬明春安全生产工作，现将有关事项通知如下。',
    ])
    for (const reader of [head, legal, chief, secretary]) {
      await drafter.api.share(documentId, reader.id, 'reader')
    }
    // The registrar edits at 用印 (the current stage's holder may change the body).
    await drafter.api.share(documentId, registrar.id, 'editor')
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close()
    }
    await browser?.close()
    await app?.close()
  })

  test('drafter sends, 核稿 returns with an opinion, drafter resubmits, 会签, 签发 代, 编号, ⚠ after a later edit', async () => {
    // 送审 from the editor: the built-in 发文办理 flow, 法规处 to 会签.
    const drafterPage = await open(drafter)
    await openDocument(drafterPage, app.url, documentId)
    await drafterPage.locator('[data-testid="start-approval"]').click()
    await drafterPage.locator('[data-testid="start-dialog"]').waitFor({ state: 'visible' })
    await pickPeople(drafterPage, 'start-countersigners', ['赵处长'])
    // The chief's secretary follows it (抄送): a deputy reads an approval only as a participant.
    await pickPeople(drafterPage, 'start-cc', ['郑秘书'])
    await screenshot(drafterPage, 'approvals-start-dialog')
    await drafterPage.locator('[data-testid="start-submit"]').click()
    expect(await registerDeviceIfAsked(drafterPage)).toBe(true)
    await drafterPage.waitForURL(/\/approvals\/[A-Za-z0-9_-]+$/)
    const approvalId = drafterPage.url().split('/').pop() ?? ''
    await drafterPage.locator('[data-testid="timeline-entry"][data-type="submit"]').waitFor()
    await drafterPage
      .locator('[data-testid="approval-current-stage"]', { hasText: '核稿' })
      .waitFor()

    // 核稿 returns it to the drafter with an opinion.
    const headPage = await open(head)
    await headPage.goto(`${app.url}/approvals/${approvalId}`)
    await headPage.locator('[data-testid="act-return"]').waitFor()
    await actInUi(headPage, 'act-return', '请补充责任分工，并核对文号。', async () => {
      await headPage.locator('[data-testid="action-return-to"]').click()
      await headPage.locator('.el-select-dropdown__item:visible', { hasText: '退回发起人' }).click()
    })
    await headPage.locator('[data-testid="timeline-entry"][data-type="return"]').waitFor()
    await expect
      .poll(() =>
        headPage
          .locator(
            '[data-testid="timeline-entry"][data-type="return"] [data-testid="timeline-opinion"]',
          )
          .textContent(),
      )
      .toContain('请补充责任分工')

    // The drafter sees it live, edits nothing here, and resubmits.
    await drafterPage.locator('[data-testid="timeline-entry"][data-type="return"]').waitFor()
    await screenshot(drafterPage, 'approvals-returned')
    await actInUi(drafterPage, 'act-resubmit')
    await drafterPage.locator('[data-testid="timeline-entry"][data-type="resubmit"]').waitFor()

    // 核稿 approves (圈阅: no opinion), the 法规处 head 会签 with an opinion.
    await headPage.locator('[data-testid="act-approve"]').waitFor()
    await actInUi(headPage, 'act-approve', '同意。')
    const legalPage = await open(legal)
    await legalPage.goto(`${app.url}/approvals/${approvalId}`)
    await actInUi(legalPage, 'act-approve', '')
    await legalPage
      .locator(
        '[data-testid="timeline-entry"][data-type="approve"] [data-testid="timeline-what"]',
        { hasText: '圈阅' },
      )
      .waitFor()

    // 签发: the secretary signs for the chief (代).
    const secretaryPage = await open(secretary)
    await secretaryPage.goto(`${app.url}/approvals/${approvalId}`)
    await secretaryPage.locator('[data-testid="act-signoff-onbehalf"]').waitFor()
    await actInUi(secretaryPage, 'act-signoff-onbehalf', '同意印发。')
    const signoff = secretaryPage.locator('[data-testid="timeline-entry"][data-type="signoff"]')
    await signoff.waitFor()
    expect(await signoff.locator('[data-testid="timeline-who"]').textContent()).toBe(
      '郑秘书 代 周主任',
    )
    await expect
      .poll(() => secretaryPage.locator('[data-testid="signoff-signer"]').textContent())
      .toBe('周主任')
    expect(await secretaryPage.locator('[data-testid="signoff-opinion"]').textContent()).toContain(
      '同意印发。',
    )
    expect(await secretaryPage.locator('[data-testid="signoff-date"]').textContent()).toMatch(
      /^\s*\d{4}年\d{1,2}月\d{1,2}日\s*$/,
    )

    // 编号 by the register: 鲁政办发〔2026〕1号 (the year in Asia/Shanghai).
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()
    await expect
      .poll(() => secretaryPage.locator('[data-testid="approval-number"]').textContent(), {
        timeout: 10_000,
      })
      .toContain(`鲁政办发〔${year}〕1号`)

    // Every person's signature verifies in the page; the system's 编号 is the relay's.
    await eventually(
      () =>
        secretaryPage
          .locator('[data-testid="timeline-entry"]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-signature'))),
      (marks) => marks.length > 0 && marks.every((mark) => mark === 'valid' || mark === 'system'),
      'every signature checked ✓',
      20_000,
    )
    await screenshot(secretaryPage, 'approvals-signed-off')

    // The drafter's page followed live, and shows the same timeline.
    await eventually(
      async () => [await timelineOf(drafterPage), await timelineOf(secretaryPage)],
      ([a, b]) => JSON.stringify(a) === JSON.stringify(b),
      'the same timeline in both browsers',
    )
    const lines = await timelineOf(drafterPage)
    expect(lines.slice(0, 6)).toEqual([
      '李明 · 发起 · applied',
      '王处长 · 退回 · applied',
      '李明 · 重新提交 · applied',
      '王处长 · 同意 · applied',
      '赵处长 · 圈阅 · applied',
      '郑秘书 代 周主任 · 签发 · applied',
    ])

    // A substantive edit after 签发 re-opens it (发文复核): ⚠ on the 签发, with the difference, and
    // the 签发 is back with the chief (the secretary may sign it again for him).
    await rewriteBody(app, registrar, documentId, [
      '各市人民政府，省政府各部门：',
      '为切实做好今冬明春安全生产工作，现将有关事项通知如下。',
      '一、各地要在十二月底前完成隐患排查。',
    ])
    const stale = secretaryPage.locator(
      '[data-testid="timeline-entry"][data-type="signoff"][data-stale="true"]',
    )
    await stale.waitFor({ timeout: 20_000 })
    await secretaryPage.locator('[data-testid="timeline-entry"][data-type="reopen"]').waitFor()
    await secretaryPage.locator('[data-testid="act-signoff-onbehalf"]').waitFor()
    await stale.locator('[data-testid="timeline-stale"] button').click()
    const signed = await secretaryPage.locator('[data-testid="stale-signed-digest"]').textContent()
    await secretaryPage.locator('[data-testid="stale-current-digest"]').waitFor()
    const now = await secretaryPage.locator('[data-testid="stale-current-digest"]').textContent()
    expect(signed).toMatch(/^[0-9a-f]{64}$/)
    expect(now).toMatch(/^[0-9a-f]{64}$/)
    expect(now).not.toBe(signed)
    await screenshot(secretaryPage, 'approvals-stale-diff')
    await secretaryPage.keyboard.press('Escape')

    // The editor shows the running approval with its stage and a link.
    await openDocument(drafterPage, app.url, documentId)
    await drafterPage.locator('[data-testid="document-approval-banner"]').waitFor()
    expect(await drafterPage.locator('[data-testid="start-approval"]').count()).toBe(0)
    await screenshot(drafterPage, 'approvals-editor-banner')
    expect(consoleProblems).toEqual([])
  })
})
