/**
 * Real Chromium for end-to-end tests (playwright-core, the machine's /usr/bin/chromium), and the
 * few page actions every scenario needs.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

/** Where screenshots go (ignored by git). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../.tmp')

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

/** A console error or warning, or an uncaught error, of a page opened through `newUser`. */
export interface PageProblem {
  readonly kind: 'error' | 'warning' | 'pageerror'
  readonly text: string
  /** Where it was logged (the script's URL, or the page's for an uncaught error). */
  readonly url: string
}

/** What the pages of this test file logged since the last `takePageProblems`. */
const pageProblems: PageProblem[] = []

/** @returns the problems recorded since the last call, and forgets them */
export function takePageProblems(): PageProblem[] {
  return pageProblems.splice(0)
}

/** Records a page's console errors and warnings and its uncaught errors. */
function recordProblems(page: Page): void {
  page.on('console', (message) => {
    const type = message.type()
    if (type === 'error' || type === 'warning') {
      pageProblems.push({ kind: type, text: message.text(), url: message.location().url })
    }
  })
  page.on('pageerror', (error) => {
    pageProblems.push({ kind: 'pageerror', text: String(error), url: page.url() })
  })
}

/**
 * A fresh browser profile (own storage, own service worker) with one page. Every page of the
 * profile has its console errors and warnings recorded (`takePageProblems`; tests/e2e/setup.ts
 * fails a test that leaves any it does not allow).
 */
export async function newUser(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    locale: 'zh-CN',
  })
  context.on('page', recordProblems)
  const page = await context.newPage()
  return { context, page }
}

/** Signs in through the login form and waits for the shell. */
export async function loginThroughUi(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.locator('#login-username').fill(username)
  await page.locator('#login-password').fill(password)
  await page.locator('#login-password').press('Enter')
  await page.locator('[data-testid="user-menu"]').waitFor({ state: 'visible' })
}

/** The ProseMirror element of the open document. */
export function editorBody(page: Page) {
  return page.locator('[data-testid="editor"] .ProseMirror')
}

/** The first paragraph of the open document (clicking it does not scroll the tall page body). */
export function firstParagraph(page: Page) {
  return editorBody(page).locator('p').first()
}

/** @returns the text of the open document's body, without colleagues' caret labels. */
export async function editorText(page: Page): Promise<string> {
  return editorBody(page).evaluate((element) => {
    const copy = element.cloneNode(true)
    if (!(copy instanceof Element)) {
      return ''
    }
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove())
    return copy.textContent ?? ''
  })
}

/** Opens a document and waits until its editor is bound. */
export async function openDocument(page: Page, baseUrl: string, documentId: string): Promise<void> {
  await page.goto(`${baseUrl}/documents/${documentId}`)
  await editorBody(page).waitFor({ state: 'visible' })
}

/**
 * Selects the first occurrence of `needle` in the editor's body (suggestion widgets left out), or
 * puts the caret after it when `collapseToEnd`, and lets ProseMirror read the DOM selection.
 */
export async function selectText(page: Page, needle: string, collapseToEnd = false): Promise<void> {
  const found = await editorBody(page).evaluate(
    (root, { needle, collapseToEnd }) => {
      if (root instanceof HTMLElement) {
        root.focus()
      }
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.parentElement?.closest('.ProseMirror-widget') !== null) {
          continue
        }
        const at = node.textContent?.indexOf(needle) ?? -1
        if (at >= 0) {
          const range = document.createRange()
          range.setStart(node, collapseToEnd ? at + needle.length : at)
          range.setEnd(node, at + needle.length)
          const selection = window.getSelection()
          selection?.removeAllRanges()
          selection?.addRange(range)
          return true
        }
      }
      return false
    },
    { needle, collapseToEnd },
  )
  if (!found) {
    throw new Error(`"${needle}" is not in the body`)
  }
  // Let ProseMirror read the new DOM selection (selectionchange).
  await page.waitForTimeout(150)
}

/** Texts of the body's blocks as the body holds them (suggestion widgets and carets left out). */
export async function bodyBlocks(page: Page): Promise<string[]> {
  return editorBody(page).evaluate((root) => {
    const copy = root.cloneNode(true)
    if (!(copy instanceof Element)) {
      return []
    }
    copy
      .querySelectorAll('.collaboration-carets__caret, .ProseMirror-widget, .gw-suggest-insert')
      .forEach((node) => node.remove())
    return [...copy.querySelectorAll('p, h1, h2, h3, h4')].map((block) => block.textContent ?? '')
  })
}

/** Waits until the sync chip shows `state`. */
export async function waitForSyncState(
  page: Page,
  state: 'saved' | 'syncing' | 'offline',
  timeoutMs = 10_000,
): Promise<void> {
  await page
    .locator(`[data-testid="sync-status"][data-state="${state}"]`)
    .waitFor({ state: 'visible', timeout: timeoutMs })
}

/** Polls `check` until it holds. @throws with `what` and the last observed value after `timeoutMs` */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!check(value)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}

/**
 * Waits until the page's finite animations and transitions (a dialog fading in, a drawer sliding)
 * have ended; endless ones (spinners) are not waited for, and the wait is at most 3 s.
 */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const ending = document
      .getAnimations()
      .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
      .map((a) => a.finished.catch(() => undefined))
    await Promise.race([Promise.all(ending), new Promise((resolve) => setTimeout(resolve, 3000))])
  })
}

/**
 * Saves a screenshot under tests/.tmp and returns its path, once the page's animations have ended
 * (settleAnimations), so the picture shows what the user is left looking at.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await settleAnimations(page)
  await page.screenshot({ path: file })
  return file
}

/**
 * Opens a unit picker (an el-tree-select) with `trigger` and picks the unit called `name`. The
 * picker is opened once the dialog or drawer around it has stopped moving: opened while a drawer
 * still slid in (slow on a busy CI machine), its dropdown moved, then closed, and the unit never
 * became clickable. A dropdown that closes all the same is opened again, twice at most.
 */
export async function pickInTreeSelect(page: Page, trigger: Locator, name: string): Promise<void> {
  const dropdown = page.locator('.el-tree-select__popper').filter({ visible: true })
  const unit = dropdown
    .locator('.el-select-dropdown__item:not(.is-disabled)')
    .getByText(name, { exact: true })
  for (let attempt = 1; ; attempt++) {
    await settleAnimations(page)
    if ((await dropdown.count()) === 0) {
      // Only a closed picker is clicked: a click on an open one closes it.
      await trigger.click()
      await settleAnimations(page)
    }
    try {
      await unit.click({ timeout: attempt < 3 ? 10_000 : 30_000 })
      return
    } catch (error) {
      if (attempt === 3) {
        throw error
      }
    }
  }
}
