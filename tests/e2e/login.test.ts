/** Signing in through the web client. */
import { beforeAll, describe, expect, test } from 'vitest'
import { loginThroughUi, newUser } from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { refusedRequests, useE2E } from './setup'

describe('login', () => {
  const e2e = useE2E({
    allowConsole: [refusedRequests([401], 'a test signs in with a wrong password on purpose')],
  })
  let user: E2EUser

  beforeAll(async () => {
    user = await e2e.app.createUser('wang.fang', '王芳')
  })

  test('a wrong password shows 用户名或密码错误 and keeps the user on the login form', async () => {
    const { context, page } = await newUser(e2e.browser)
    await page.goto(`${e2e.app.url}/`)
    await page.locator('#login-username').waitFor()
    expect(new URL(page.url()).pathname).toBe('/login')
    await page.locator('#login-username').fill(user.username)
    await page.locator('#login-password').fill('Wrong#Pass123')
    await page.keyboard.press('Enter')
    const error = page.locator('[data-testid="login-error"]')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toContain('用户名或密码错误')
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  test('the right password opens the workbench with the user name and the navigation', async () => {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, user.username, user.password)
    expect(await page.locator('[data-testid="user-menu"]').textContent()).toContain('王芳')
    const nav = await page.locator('nav').textContent()
    for (const label of ['工作台', '公文', '审批', '会议', '通讯录']) {
      expect(nav).toContain(label)
    }
    // 管理 is for administrators only.
    expect(nav).not.toContain('管理')
    await context.close()
  })
})
