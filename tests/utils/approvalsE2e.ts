/**
 * An office for the approval screens' end-to-end tests (units, people with posts and roles, the
 * 机关代字, a 通知 with a body) made through the admin API of a real relay, and the page actions
 * the approval screens need (choose people, act in the action dialog, register the device).
 */
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

/** Writes a 通知's meta and body paragraphs into a document as its owner. */
export async function writeNotice(
  app: E2EApp,
  owner: OfficePerson,
  documentId: string,
  title: string,
  paragraphs: readonly string[],
): Promise<void> {
  const client = connect(app.relay.wsUrl, `doc:${documentId}`, owner.token)
  await synced(client)
  client.doc.transact(() => {
    const meta = client.doc.getMap<unknown>('meta')
    meta.set('docType', 'notice')
    meta.set('title', title)
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
