/**
 * The one set-up of an end-to-end file: a relay serving the built web client and a headless
 * Chromium, started together before the file's tests and closed after them; and the console
 * check: a test fails when a page it opened (`newUser`) logged a console error or warning, or threw,
 * unless the message is allowed below (documented, unavoidable browser messages) or by the file.
 *
 * @example
 *   const e2e = useE2E()
 *   test('…', async () => {
 *     const { page } = await newUser(e2e.browser)
 *     await loginThroughUi(page, e2e.app.url, 'admin', ADMIN_PASSWORD)
 *   })
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser, takePageProblems } from '../utils/browser'
import type { PageProblem } from '../utils/browser'
import { startE2EApp } from '../utils/e2eApp'
import type { E2EApp } from '../utils/e2eApp'
import type { TestRelayOptions } from '../utils/relay'

/** A console message a test may leave, and why it cannot be avoided. */
export interface AllowedMessage {
  /** Matches the message's text. */
  readonly text: RegExp
  readonly reason: string
}

/**
 * Messages Chromium logs by itself whatever the page does, allowed in every file. None so far: a
 * message that shows up in every file is something to fix in the app first.
 */
export const ALLOWED_EVERYWHERE: readonly AllowedMessage[] = []

/**
 * Chromium's line for an HTTP answer with an error status, which it logs even when the page expects
 * and handles the answer (a refused password, a rate limit).
 * @param statuses the statuses the file's tests provoke on purpose
 */
export function refusedRequests(statuses: readonly number[], reason: string): AllowedMessage {
  return {
    text: new RegExp(
      `^Failed to load resource: the server responded with a status of (${statuses.join('|')}) `,
    ),
    reason,
  }
}

/** Options of a file's set-up. */
export interface E2EOptions {
  /** Options of the relay (limits and the like); it always serves the built web client. */
  readonly relay?: TestRelayOptions
  /** Messages this file's tests provoke on purpose (an offline network, a refused request). */
  readonly allowConsole?: readonly AllowedMessage[]
}

/** @returns a readable list of problems for a failure message */
function describeProblems(problems: readonly PageProblem[]): string {
  return problems
    .map((problem) => `  [${problem.kind}] ${problem.text} (${problem.url})`)
    .join('\n')
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

  const allowed = [...ALLOWED_EVERYWHERE, ...(options.allowConsole ?? [])]
  afterEach(() => {
    const problems = takePageProblems().filter(
      (problem) => !allowed.some((allow) => allow.text.test(problem.text)),
    )
    if (problems.length > 0) {
      throw new Error(`The pages logged errors or warnings:\n${describeProblems(problems)}`)
    }
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
