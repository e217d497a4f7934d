/**
 * The approval screens end to end, in real Chromium against the real relay: a drafter sends a 通知
 * down the outgoing chain from the 公文 editor (送审, registering the browser's signing device on the
 * way); 核稿 returns it with an opinion; the drafter resubmits and 催办 (the 核稿's bell shows it and
 * opens the approval); 核稿 and the 会签 head approve; the chief's secretary, no member of the
 * document, reads it beside the timeline as his deputy and signs 签发 代 the chief (a delegation);
 * 编号 gives 鲁政办发〔2026〕1号, and the drafter's 导出 PDF carries it. The next document, a 请示,
 * gets 2号, and its PDF carries the number and the 签发人 (上行文). Every signature is checked in the
 * page (✓).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  eventually,
  SCREENSHOT_DIR,
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
  exportPdfFromEditor,
  pickPeople,
  registerDeviceIfAsked,
  rewriteBody,
  timelineOf,
  writeNotice,
} from '../utils/approvalsE2e'
import type { OfficePerson } from '../utils/approvalsE2e'

/** The 发文机关 of the 版头, under which the 发文字号 (and an 上行文's 签发人) is printed. */
const AUTHORITY = '山东省人民政府办公厅'

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
  let drafterPage: Page
  let headPage: Page
  let secretaryPage: Page
  /** The register's year (Asia/Shanghai). */
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()
  const pdfDir = path.join(SCREENSHOT_DIR, 'approvals-pdf')

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
    await writeNotice(
      app,
      drafter,
      documentId,
      '关于做好冬季安全生产工作的通知',
      ['各市人民政府，省政府各部门：', '为切实做好今冬明春安全生产工作，现将有关事项通知如下。'],
      { issuingAuthority: AUTHORITY },
    )
    // The secretary is no member: she reads it as the chief's deputy while he holds 签发.
    for (const reader of [legal, chief]) {
      await drafter.api.share(documentId, reader.id, 'reader')
    }
    // The 核稿 reviewer edits: at 核稿 the editor opens in 修订 for them.
    await drafter.api.share(documentId, head.id, 'editor')
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
    fs.mkdirSync(pdfDir, { recursive: true })
    drafterPage = await open(drafter)
    await openDocument(drafterPage, app.url, documentId)
    await drafterPage.locator('[data-testid="start-approval"]').click()
    await drafterPage.locator('[data-testid="start-dialog"]').waitFor({ state: 'visible' })
    await pickPeople(drafterPage, 'start-countersigners', ['赵处长'])
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
    headPage = await open(head)
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

    // 催办: the 核稿's bell shows it at once, and it opens the approval page.
    await actInUi(drafterPage, 'act-urge')
    await drafterPage.locator('[data-testid="timeline-entry"][data-type="urge"]').waitFor()
    await headPage.goto(`${app.url}/documents`)
    // Two unread: being added to the document (as its 核稿 editor), and the 催办.
    await headPage
      .locator('[data-testid="inbox-bell"][data-unread="2"]')
      .waitFor({ timeout: 10_000 })
    await headPage.locator('[data-testid="inbox-bell"]').click()
    const urged = headPage.locator('[data-testid="inbox-item"]', {
      has: headPage.locator('button.open[data-kind="approval"]'),
    })
    await urged.waitFor({ state: 'visible' })
    await expect
      .poll(() => urged.textContent())
      .toContain('李明 催办《关于做好冬季安全生产工作的通知》的审批，请尽快处理')
    await screenshot(headPage, 'approvals-urge-bell')
    await urged.locator('button.open').click()
    await headPage.waitForURL(`${app.url}/approvals/${approvalId}`)
    await headPage.locator('[data-testid="inbox-bell"][data-unread="1"]').waitFor()

    // Who must act on 核稿 opens the document in 修订: the switch is on, typing suggests.
    await openDocument(headPage, app.url, documentId)
    await headPage.locator('[data-testid="track-changes"][aria-pressed="true"]').waitFor()
    await screenshot(headPage, 'approvals-review-track-changes')
    await headPage.goto(`${app.url}/approvals/${approvalId}`)

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
    secretaryPage = await open(secretary)
    await secretaryPage.goto(`${app.url}/approvals/${approvalId}`)
    await secretaryPage.locator('[data-testid="act-signoff-onbehalf"]').waitFor()
    // No member of the document, she reads it beside the timeline as the chief's deputy.
    await expect
      .poll(() => secretaryPage.locator('[data-testid="approval-document"] .paper').textContent(), {
        timeout: 10_000,
      })
      .toContain('为切实做好今冬明春安全生产工作')
    await screenshot(secretaryPage, 'approvals-deputy-reads')
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
    expect(lines.slice(0, 7)).toEqual([
      '李明 · 发起 · applied',
      '王处长 · 退回 · applied',
      '李明 · 重新提交 · applied',
      '李明 · 催办 · applied',
      '王处长 · 同意 · applied',
      '赵处长 · 圈阅 · applied',
      '郑秘书 代 周主任 · 签发 · applied',
    ])

    // The drafter's 导出 PDF carries the number the chain gave (a 通知 prints no 签发人).
    const pdf = await exportPdfFromEditor(
      drafterPage,
      app.url,
      documentId,
      path.join(pdfDir, 'notice-1.pdf'),
    )
    expect(pdf).toContain(`鲁政办发〔${year}〕1号`)
    expect(pdf).toContain('关于做好冬季安全生产工作的通知')
    await drafterPage.goto(`${app.url}/approvals/${approvalId}`)

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

  test('the next document, a 请示, gets 2号; its PDF carries the number and the 签发人', async () => {
    const title = '关于申请安全生产专项资金的请示'
    const nextId = await drafter.api.createDocument(title)
    await writeNotice(
      app,
      drafter,
      nextId,
      title,
      ['省人民政府：', '为做好今冬明春安全生产工作，拟申请专项资金。妥否，请批示。'],
      { docType: 'request', issuingAuthority: AUTHORITY },
    )
    await openDocument(drafterPage, app.url, nextId)
    await drafterPage.locator('[data-testid="start-approval"]').click()
    await drafterPage.locator('[data-testid="start-dialog"]').waitFor({ state: 'visible' })
    await drafterPage.locator('[data-testid="start-submit"]').click()
    await drafterPage.waitForURL(/\/approvals\/[A-Za-z0-9_-]+$/)
    const approvalId = drafterPage.url().split('/').pop() ?? ''
    await drafterPage
      .locator('[data-testid="approval-current-stage"]', { hasText: '核稿' })
      .waitFor()

    await headPage.goto(`${app.url}/approvals/${approvalId}`)
    await actInUi(headPage, 'act-approve', '同意。')
    await secretaryPage.goto(`${app.url}/approvals/${approvalId}`)
    await expect
      .poll(() => secretaryPage.locator('[data-testid="approval-document"] .paper').textContent(), {
        timeout: 10_000,
      })
      .toContain('拟申请专项资金')
    await actInUi(secretaryPage, 'act-signoff-onbehalf', '同意上报。')
    await expect
      .poll(() => drafterPage.locator('[data-testid="approval-number"]').textContent(), {
        timeout: 10_000,
      })
      .toContain(`鲁政办发〔${year}〕2号`)

    const pdf = await exportPdfFromEditor(
      drafterPage,
      app.url,
      nextId,
      path.join(pdfDir, 'request-2.pdf'),
    )
    expect(pdf).toContain(`鲁政办发〔${year}〕2号`)
    expect(pdf).toContain('签发人：周主任')
    expect(pdf).toContain(title)
    await screenshot(drafterPage, 'approvals-request-print')
    expect(consoleProblems).toEqual([])
  })
})
