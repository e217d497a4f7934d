/**
 * An office for the approval screens' end-to-end tests (units, people with posts and roles, the
 * 机关代字, a 通知 with a body) made through the admin API of a real relay, and the page actions
 * the approval screens need (choose people, act in the action dialog, register the device), and the
 * 导出 PDF of the editor as a user takes it (its text read with pdftotext).
 */
import { execFileSync } from 'node:child_process'
import { expect } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import { USER_PASSWORD } from './relay'
import { ApiClient } from './relay'
import type { E2EApp } from './e2eApp'
import { connect, synced } from './yclient'

/** A person of the office. */
export interface OfficePerson {
  readonly id: string
  readonly username: string
  readonly name: string
  readonly api: ApiClient
  readonly token: string
}

/** Creates a unit. @returns its id */
export async function createUnit(
  app: E2EApp,
  parentId: string | null,
  name: string,
  code: string,
): Promise<string> {
  const { status, body } = await app.admin.request<{ id: string }>('POST', '/admin/units', {
    parentId,
    kind: parentId === null ? 'province' : 'department',
    name,
    code,
  })
  expect(status, JSON.stringify(body)).toBe(201)
  return body.id
}

/** Creates a person posted in a unit, with roles. */
export async function createPerson(
  app: E2EApp,
  username: string,
  name: string,
  unitId: string,
  post: string | null,
  roles: string[] = [],
): Promise<OfficePerson> {
  const { status, body } = await app.admin.request('POST', '/admin/users', {
    username,
    displayName: name,
    password: USER_PASSWORD,
    unitId,
    roles,
    posts: post === null ? [] : [{ unitId, title: post }],
  })
  expect(status, JSON.stringify(body)).toBe(201)
  const login = await new ApiClient(app.url).login(username, USER_PASSWORD)
  return { id: login.userId, username, name, api: login.api, token: login.token }
}

/**
 * Writes a 通知's meta and body paragraphs into a document as its owner; `meta` adds or replaces
 * keys (another 文种, the 发文机关 of the 版头).
 */
export async function writeNotice(
  app: E2EApp,
  owner: OfficePerson,
  documentId: string,
  title: string,
  paragraphs: readonly string[],
  meta: Readonly<Record<string, string>> = {},
): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, owner.token)
  await synced(client)
  client.doc.transact(() => {
    const map = client.doc.getMap<unknown>('meta')
    map.set('docType', 'notice')
    map.set('title', title)
    for (const [key, value] of Object.entries(meta)) {
      map.set(key, value)
    }
    const body = client.doc.getXmlFragment('body')
    body.delete(0, body.length)
    body.insert(
      0,
      paragraphs.map((text) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(text)])
        return paragraph
      }),
    )
  })
  await new Promise((resolve) => setTimeout(resolve, 500))
  client.destroy()
}

/** Replaces a document's body paragraphs as `who` (who must be allowed to write it now). */
export async function rewriteBody(
  app: E2EApp,
  who: OfficePerson,
  documentId: string,
  paragraphs: readonly string[],
): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, who.token)
  await synced(client)
  client.doc.transact(() => {
    const body = client.doc.getXmlFragment('body')
    body.delete(0, body.length)
    body.insert(
      0,
      paragraphs.map((text) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(text)])
        return paragraph
      }),
    )
  })
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(client.closeCodes).toEqual([])
  client.destroy()
}

/** Chooses people in a PersonPicker (by data-testid), searching each by name. */
export async function pickPeople(
  page: Page,
  testId: string,
  names: readonly string[],
): Promise<void> {
  const picker = page.locator(`[data-testid="${testId}"]`)
  for (const name of names) {
    await picker.locator('input').first().focus()
    await page.keyboard.press('Control+A')
    await page.keyboard.type(name)
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: name }).first()
    await option.waitFor({ state: 'visible' })
    await option.click()
  }
  // A multiple select keeps its list open: close it by clicking outside (the dialog's title).
  await page.locator('.el-dialog__header:visible').first().click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
}

/** Registers this browser's signing device when the dialog asks (first signed action). */
export async function registerDeviceIfAsked(page: Page): Promise<boolean> {
  const dialog = page.locator('[data-testid="device-dialog"]')
  try {
    await dialog.waitFor({ state: 'visible', timeout: 4000 })
  } catch {
    return false
  }
  await page.locator('[data-testid="device-register"]').click()
  await dialog.waitFor({ state: 'hidden' })
  return true
}

/** Takes an action from the bar through its dialog (opinion typed when given). */
export async function actInUi(
  page: Page,
  testId: string,
  opinion?: string,
  fill?: () => Promise<void>,
): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`).click()
  const dialog = page.locator('[data-testid="action-dialog"]')
  await dialog.waitFor({ state: 'visible' })
  await fill?.()
  if (opinion !== undefined) {
    await page
      .locator('textarea[data-testid="action-opinion"], [data-testid="action-opinion"] textarea')
      .fill(opinion)
  }
  await page.locator('[data-testid="action-submit"]').click()
  await registerDeviceIfAsked(page)
}

/** @returns the timeline as `who · what · effect` lines, as the page shows it. */
export async function timelineOf(page: Page): Promise<string[]> {
  return page.locator('[data-testid="timeline-entry"]').evaluateAll((entries) =>
    entries.map((entry) => {
      const who = entry.querySelector('[data-testid="timeline-who"]')?.textContent?.trim() ?? ''
      const what = entry.querySelector('[data-testid="timeline-what"]')?.textContent?.trim() ?? ''
      return `${who} · ${what} · ${entry.getAttribute('data-effect') ?? ''}`
    }),
  )
}

/**
 * Exports the PDF from the editor as a user does: the 导出 menu's 导出 PDF opens the print view,
 * which starts the browser's print (on the web, the print dialog makes the PDF: here `window.print`
 * is only counted, and the page is printed to `file` as Chromium's print would).
 * @returns the PDF's text (pdftotext), whitespace removed
 */
export async function exportPdfFromEditor(
  page: Page,
  baseUrl: string,
  documentId: string,
  file: string,
): Promise<string> {
  await page.goto(`${baseUrl}/documents/${documentId}`)
  await page.locator('[data-testid="io-menu"]').waitFor({ state: 'visible' })
  await page.evaluate(() => {
    const counted = window as unknown as { printed: number }
    counted.printed = 0
    window.print = () => {
      counted.printed += 1
    }
  })
  await page.locator('[data-testid="io-menu"]').click()
  await page.locator('[data-testid="io-export-pdf"]').click()
  await page.waitForURL(/\/documents\/[^/]+\/print/)
  await page.locator('[data-testid="print-view"][data-ready="true"]').waitFor({ timeout: 20_000 })
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed))
    .toBe(1)
  await page.emulateMedia({ media: 'print' })
  await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true })
  await page.emulateMedia({ media: 'screen' })
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
}
