/** What the web client does when the relay ends access: membership removed, account deactivated, first login. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser } from 'playwright-core'
import {
  launchBrowser,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp, E2EUser } from '../utils/e2eApp'

describe('access changes', () => {
  let app: E2EApp
  let browser: Browser
  let owner: E2EUser

  beforeAll(async () => {
    app = await startE2EApp()
    browser = await launchBrowser()
    owner = await app.createUser('qian.hao', '钱浩')
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  test('a member removed while the document is open sees 无权访问该文档 and stops syncing', async () => {
    const member = await app.createUser('wu.qing', '吴青')
    const documentId = await owner.api.createDocument('关于调整办公用房的请示')
    await owner.api.share(documentId, member.id, 'editor')
    const { context, page } = await newUser(browser)
    await loginThroughUi(page, app.url, member.username, member.password)
    await openDocument(page, app.url, documentId)
    await waitForSyncState(page, 'saved')

    const { status } = await owner.api.request(
      'DELETE',
      `/documents/${documentId}/members/${member.id}`,
    )
    expect(status).toBe(204)
    const blocked = page.locator('[data-testid="editor-blocked"][data-reason="forbidden"]')
    await blocked.waitFor({ state: 'visible' })
    expect(await blocked.textContent()).toContain('无权访问该文档')
    // And it does not knock again: no new socket in the next moments.
    let reconnects = 0
    page.on('websocket', () => reconnects++)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(reconnects).toBe(0)
    await context.close()
  })

  test('a user deactivated while editing is sent to the login screen with 账号已被停用', async () => {
    const member = await app.createUser('zheng.yu', '郑宇')
    const documentId = await owner.api.createDocument('关于做好防汛工作的通知')
    await owner.api.share(documentId, member.id, 'editor')
    const { context, page } = await newUser(browser)
    await loginThroughUi(page, app.url, member.username, member.password)
    await openDocument(page, app.url, documentId)
    await waitForSyncState(page, 'saved')

    const { status } = await app.admin.request('POST', `/admin/users/${member.id}/deactivate`, {})
    expect(status).toBe(200)
    const notice = page.locator('[data-testid="login-notice"]')
    await notice.waitFor({ state: 'visible' })
    expect(await notice.textContent()).toContain('账号已被停用')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.evaluate(() => localStorage.getItem('qilu:token'))).toBeNull()
    await context.close()
  })

  test('a new account signs in with its activation code and must set a password that meets the policy first', async () => {
    const created = await app.admin.request<{ id: string; activationCode?: string }>(
      'POST',
      '/admin/users',
      {
        username: 'feng.lan',
        displayName: '冯兰',
      },
    )
    expect(created.status).toBe(201)
    const code = created.body.activationCode ?? ''
    expect(code).not.toBe('')
    const { context, page } = await newUser(browser)
    await page.goto(`${app.url}/login`)
    await page.locator('#login-username').fill('feng.lan')
    await page.locator('#login-password').fill(code)
    await page.locator('#login-password').press('Enter')
    await page.locator('#new-password').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/password')
    expect(await page.textContent('body')).toContain('不能包含用户名')

    // A password containing the username is refused with the rule, before any request.
    await page.locator('#old-password').fill(code)
    await page.locator('#new-password').fill('Feng.lan#2026')
    await page.locator('#confirm-password').fill('Feng.lan#2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="password-error"]', { hasText: '不能包含用户名' }).waitFor()
    await screenshot(page, 'set-password')

    await page.locator('#new-password').fill('Qilu#Desk2026')
    await page.locator('#confirm-password').fill('Qilu#Desk2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="user-menu"]').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/')
    await context.close()

    // The new password works from a fresh browser.
    const again = await newUser(browser)
    await loginThroughUi(again.page, app.url, 'feng.lan', 'Qilu#Desk2026')
    await again.context.close()
  })
})
