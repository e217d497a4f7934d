/**
 * A walk through the main screens, as an administrator and as a colleague, in both languages: each
 * screen shows, the notification popup shows its empty state, and (through the set-up's console
 * check) no page logs an error or a warning on the way.
 */
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { ADMIN_PASSWORD } from '../utils/relay'
import { loginThroughUi, newUser, openDocument, screenshot } from '../utils/browser'
import { useE2E } from './setup'

/** Screens of the shell, by path, and an element each one shows once loaded. */
const SCREENS: readonly (readonly [string, string])[] = [
  ['/', '[data-testid="user-menu"]'],
  ['/documents', '[data-testid="user-menu"]'],
  ['/directory', '[data-testid="directory-search"]'],
  ['/approvals', '[data-testid="user-menu"]'],
  ['/meetings', '[data-testid="user-menu"]'],
  ['/account/sessions', '[data-testid="user-menu"]'],
  ['/no/such/page', '[data-testid="user-menu"]'],
]

/** Opens the bell's popup and waits for its list or its empty state. */
async function openInbox(page: Page): Promise<void> {
  await page.locator('[data-testid="inbox-bell"]').click()
  await page.locator('[data-testid="inbox-panel"]').waitFor({ state: 'visible' })
}

describe('a walk through the main screens', () => {
  const e2e = useE2E()

  test('a colleague and the administrator visit every screen; an empty inbox says so', async () => {
    const colleague = await e2e.app.createUser('zhao.lei', '赵磊')
    const documentId = await colleague.api.createDocument('关于开展安全生产检查的通知')
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, colleague.username, colleague.password)
    for (const locale of ['zh-CN', 'en']) {
      // The language the header's switch remembers (renderer/src/i18n/index.ts).
      await page.evaluate((chosen) => localStorage.setItem('qilu:locale', chosen), locale)
      for (const [path, ready] of SCREENS) {
        await page.goto(`${e2e.app.url}${path}`)
        await page.locator(ready).first().waitFor({ state: 'visible' })
      }
    }
    await page.evaluate(() => localStorage.setItem('qilu:locale', 'zh-CN'))
    await openDocument(page, e2e.app.url, documentId)
    await openInbox(page)
    const empty = page.locator('[data-testid="inbox-empty"]')
    await empty.waitFor({ state: 'visible' })
    expect((await empty.textContent())?.trim()).not.toBe('')
    await screenshot(page, 'walk-inbox-empty')
    await page.keyboard.press('Escape')
    await context.close()

    const admin = await newUser(e2e.browser)
    await loginThroughUi(admin.page, e2e.app.url, 'admin', ADMIN_PASSWORD)
    for (const path of ['/admin/units', '/admin/users', '/admin/imports', '/admin/audit']) {
      await admin.page.goto(`${e2e.app.url}${path}`)
      await admin.page.locator('.qilu-page-title').first().waitFor({ state: 'visible' })
    }
    await admin.context.close()
  })
})
