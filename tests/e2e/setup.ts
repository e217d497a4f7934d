/**
 * The one set-up of an end-to-end file: a relay serving the built web client and a headless
 * Chromium, started together before the file's tests and closed after them.
 *
 * @example
 *   const e2e = useE2E()
 *   test('…', async () => {
 *     const { page } = await newUser(e2e.browser)
 *     await loginThroughUi(page, e2e.app.url, 'admin', ADMIN_PASSWORD)
 *   })
 */
import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp } from '../utils/e2eApp'
import type { TestRelayOptions } from '../utils/relay'

/** Options of a file's set-up. */
export interface E2EOptions {
  /** Options of the relay (limits and the like); it always serves the built web client. */
  readonly relay?: TestRelayOptions
}

/** The app and browser of a file, readable once its `beforeAll` has run. */
export interface E2E {
  readonly app: E2EApp
  readonly browser: Browser
}

/**
 * Registers the file's `beforeAll` (relay and browser, started side by side) and `afterAll`
 * (closed; a file's own `afterAll` hooks run before it, so its contexts close first).
 * @returns getters for the app and the browser
 */
export function useE2E(options: E2EOptions = {}): E2E {
  let app: E2EApp | null = null
  let browser: Browser | null = null

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([
      startE2EApp(options.relay),
      launchBrowser(),
    ])
    app = started.status === 'fulfilled' ? started.value : null
    browser = launched.status === 'fulfilled' ? launched.value : null
    for (const result of [started, launched]) {
      if (result.status === 'rejected') {
        throw result.reason
      }
    }
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  return {
    get app(): E2EApp {
      if (app === null) {
        throw new Error('the app is not started: use it in a test or a later hook')
      }
      return app
    },
    get browser(): Browser {
      if (browser === null) {
        throw new Error('the browser is not launched: use it in a test or a later hook')
      }
      return browser
    },
  }
}
