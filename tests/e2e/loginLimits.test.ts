/**
 * Issue 17, findings 7 and 8, as a person at the login form sees them: 429 says how many seconds
 * to wait, the lockout names the unlock time (for unknown usernames too), an activation code leads
 * to 设置新密码 without a single refused call, and a common password is refused in Chinese.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { newUser } from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp } from '../utils/e2eApp'
import { refusedRequests, useE2E } from './setup'

async function tryLogin(
  page: Page,
  url: string,
  username: string,
  password: string,
): Promise<string> {
  await page.goto(`${url}/login`)
  await page.locator('#login-username').fill(username)
  await page.locator('#login-password').fill(password)
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
  await page.locator('#login-password').press('Enter')
  await answered
  const error = page.locator('[data-testid="login-error"]')
  await error.waitFor({ state: 'visible' })
  return (await error.textContent()) ?? ''
}

describe('the login form under the limits', () => {
  const e2e = useE2E({
    allowConsole: [
      refusedRequests(
        [400, 401, 423, 429],
        'the tests provoke wrong passwords (401), the lock (423), the rate limit (429) and a ' +
          'refused common password (400) on purpose',
      ),
    ],
  })
  let crowded: E2EApp

  beforeAll(async () => {
    crowded = await startE2EApp({ authLimits: { addressMaxFailures: 3 } })
  })

  afterAll(async () => {
    await crowded?.close()
  })

  test('too many failures from one address read 尝试过于频繁，请 N 秒后再试', async () => {
    await crowded.createUser('zhou.min', '周敏')
    const { context, page } = await newUser(e2e.browser)
    for (let i = 0; i < 3; i++) {
      expect(await tryLogin(page, crowded.url, `nobody${i}`, 'Wrong#Pass123')).toContain(
        '用户名或密码错误',
      )
    }
    const limited = await tryLogin(page, crowded.url, 'zhou.min', 'Qilu#2026pass')
    expect(limited).toMatch(/^尝试过于频繁，请 \d+ 秒后再试$/)
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  test('the fifth failure names the unlock time, the sixth says the account is locked, for unknown names alike', async () => {
    await e2e.app.createUser('sun.li', '孙丽')
    const { context, page } = await newUser(e2e.browser)
    for (const username of ['sun.li', 'no.such.person']) {
      const messages: string[] = []
      for (let i = 0; i < 6; i++) {
        messages.push(await tryLogin(page, e2e.app.url, username, 'Wrong#Pass123'))
      }
      expect(messages.slice(0, 4)).toEqual(Array(4).fill('用户名或密码错误'))
      // The unlock time carries its date when it falls on another day (a run near midnight).
      expect(messages[4]).toMatch(
        /^用户名或密码错误；失败次数过多，账号已锁定至 (\d{1,2}月\d{1,2}日 )?\d{2}:\d{2}$/,
      )
      expect(messages[5]).toMatch(/^账号已锁定，请于 (\d{1,2}月\d{1,2}日 )?\d{2}:\d{2} 后重试$/)
    }
    await context.close()
  })

  test('an activation code leads to 设置新密码 with no refused call; a common password is refused in Chinese', async () => {
    const created = await e2e.app.admin.request<{ activationCode: string }>(
      'POST',
      '/admin/users',
      {
        username: 'wu.gang',
        displayName: '吴刚',
      },
    )
    expect(created.status).toBe(201)
    const code = created.body.activationCode
    const { context, page } = await newUser(e2e.browser)
    const refused: string[] = []
    page.on('response', (response) => {
      if (response.status() === 403) {
        refused.push(response.url())
      }
    })
    await page.goto(`${e2e.app.url}/login`)
    await page.locator('#login-username').fill('wu.gang')
    await page.locator('#login-password').fill(code)
    await page.locator('#login-password').press('Enter')
    await page.locator('#new-password').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/password')

    await page.locator('#old-password').fill(code)
    await page.locator('#new-password').fill('Password@123')
    await page.locator('#confirm-password').fill('Password@123')
    await page.locator('#confirm-password').press('Enter')
    const error = page.locator('[data-testid="password-error"]')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toBe(
      '密码不符合安全要求：密码过于常见或容易被猜到，请换一个更不易猜到的密码',
    )

    await page.locator('#new-password').fill('Wu#Gang-Jinan2026')
    await page.locator('#confirm-password').fill('Wu#Gang-Jinan2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="user-menu"]').waitFor({ state: 'visible' })
    expect(refused).toEqual([])
    await context.close()
  })
})
