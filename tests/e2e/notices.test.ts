/**
 * Issue 22, notices and finding people, in Chromium against the real relay: a reviewer's suggestion
 * reaches the drafter's second browser within 2 s (the bell and a desktop notification), and the
 * notice opens the document scrolled to the suggested text; the decision reaches the reviewer. The
 * member picker finds 张伟 by "zw" with unit and post; 通讯录 finds a person by the last 4 digits
 * of their phone and lists a unit in rank order.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import { ApiClient, USER_PASSWORD } from '../utils/relay'
import {
  editorBody,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  SCREENSHOT_DIR,
  selectText,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { useE2E } from './setup'

/** Stands in for the Notification API (headless Chromium shows none); kept in `window.notes`. */
const FAKE_NOTIFICATIONS = `
  window.notes = []
  window.Notification = class {
    static permission = 'granted'
    static requestPermission = async () => 'granted'
    constructor(title, options) {
      this.title = title
      this.body = options?.body ?? ''
      this.onclick = null
      window.notes.push(this)
    }
    close() {}
  }
`

const TITLE = '关于做好2026年防汛工作的通知'
const TARGET = '严格执行汛期二十四小时值班制度'

/** Opens the bell's popup and waits until it has faded in (for the screenshot). */
async function openBell(page: Page): Promise<void> {
  await page.locator('[data-testid="inbox-bell"]').click()
  await page.locator('[data-testid="inbox-panel"]').waitFor({ state: 'visible' })
  await page.waitForTimeout(400)
}

/** @returns whether the text is on screen: its box inside the window and not covered. */
async function onScreen(page: Page, text: string): Promise<boolean> {
  return editorBody(page).evaluate((root, needle) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(needle) ?? -1
      if (at < 0) {
        continue
      }
      const range = document.createRange()
      range.setStart(node, at)
      range.setEnd(node, at + needle.length)
      const box = range.getBoundingClientRect()
      if (box.top < 0 || box.bottom > window.innerHeight || box.width === 0) {
        return false
      }
      const hit = document.elementFromPoint(box.left + 2, box.top + box.height / 2)
      return hit !== null && root.contains(hit)
    }
    return false
  }, text)
}

describe('notices and finding people', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let reviewer: E2EUser
  let leader: E2EUser
  const unitIds: Record<string, string> = {}

  beforeAll(async () => {
    const admin = e2e.app.admin
    const unit = async (code: string, parent: string | null, kind: string, name: string) => {
      const { status, body } = await admin.request<{ id: string }>('POST', '/admin/units', {
        parentId: parent === null ? null : unitIds[parent],
        kind,
        name,
        code,
      })
      expect(status, JSON.stringify(body)).toBe(201)
      unitIds[code] = body.id
    }
    await unit('sd', null, 'province', '山东省')
    await unit('jn', 'sd', 'city', '济南市')
    await unit('jnb', 'jn', 'department', '市政府办公厅')
    const person = async (
      username: string,
      displayName: string,
      title: string,
      phone: string,
    ): Promise<E2EUser> => {
      const created = await admin.request<{ id: string }>('POST', '/admin/users', {
        username,
        displayName,
        password: USER_PASSWORD,
        unitId: unitIds.jnb,
        phone,
        posts: [{ unitId: unitIds.jnb, title }],
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const visible = await admin.request('PATCH', `/admin/users/${created.body.id}`, {
        phoneVisibility: 'public',
      })
      expect(visible.status).toBe(200)
      const login = await new ApiClient(e2e.app.url).login(username, USER_PASSWORD)
      return {
        id: login.userId,
        username,
        displayName,
        password: USER_PASSWORD,
        token: login.token,
        api: login.api,
      }
    }
    // Listed in pinyin order these would be 李娜, 王芳, 张伟; in rank order 李娜, 张伟, 王芳.
    drafter = await person('zhang.wei', '张伟', '副主任', '13805314721')
    reviewer = await person('wang.fang', '王芳', '一级主任科员', '13905310000')
    leader = await person('li.na', '李娜', '主任', '13705318888')
  })

  test('a reviewer’s suggestion reaches the drafter’s other browser within 2 s, and the notice opens the document at it', async () => {
    const documentId = await drafter.api.createDocument(TITLE)
    // A long body: the suggested text is far below the first screen.
    await e2e.app.relay.relay.rooms.apply(`doc:${documentId}`, (doc) => {
      const body = doc.getXmlFragment('body')
      const paragraphs = Array.from({ length: 60 }, (_, i) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text =
          i === 52 ? `各单位要${TARGET}，确保信息畅通。` : `第${i + 1}段：加强汛期监测预警工作。`
        paragraph.insert(0, [new Y.XmlText(text)])
        return paragraph
      })
      body.insert(0, paragraphs)
      doc.getMap<unknown>('meta').set('title', TITLE)
    })
    await drafter.api.share(documentId, reviewer.id, 'commenter')

    // The drafter works elsewhere in a second browser, with desktop notifications.
    const d = await newUser(e2e.browser)
    await d.context.addInitScript(FAKE_NOTIFICATIONS)
    await loginThroughUi(d.page, e2e.app.url, drafter.username, drafter.password)
    const bell = d.page.locator('[data-testid="inbox-bell"]')
    await openBell(d.page)
    const empty = d.page.locator('[data-testid="inbox-empty"]')
    await empty.waitFor({ state: 'visible' })
    expect(await empty.textContent()).toContain('暂无新通知')
    expect(await empty.locator('svg').count()).toBe(1)
    await screenshot(d.page, 'notices-bell-empty')
    await bell.click()
    await d.page.locator('[data-testid="inbox-panel"]').waitFor({ state: 'hidden' })

    // The reviewer was told they were added, and opens the document from the notice.
    const r = await newUser(e2e.browser)
    await loginThroughUi(r.page, e2e.app.url, reviewer.username, reviewer.password)
    const reviewerBell = r.page.locator('[data-testid="inbox-bell"]')
    await eventually(
      () => reviewerBell.getAttribute('data-unread'),
      (value) => value === '1',
      'the reviewer’s notice of being added',
    )
    await openBell(r.page)
    const added = r.page.locator('[data-testid="inbox-item"]').first()
    expect(await added.textContent()).toContain(`张伟 邀请你参与《${TITLE}》`)
    await screenshot(r.page, 'notices-bell-added')
    await added.locator('button.open').click()
    await editorBody(r.page).waitFor({ state: 'visible' })
    expect(new URL(r.page.url()).pathname).toBe(`/documents/${documentId}`)
    await editorBody(r.page).getByText(TARGET).waitFor()
    expect(await onScreen(r.page, TARGET)).toBe(false)

    // The reviewer suggests a change with the review tools (select, 建议修改, type, Enter).
    await selectText(r.page, '二十四小时值班')
    await r.page.locator('[data-testid="suggest-edit"]').click()
    await r.page.locator('[data-testid="suggestion-composer"][data-open="true"]').waitFor()
    await r.page.keyboard.type('全天候值班')
    const sentAt = Date.now()
    await r.page.keyboard.press('Enter')

    await eventually(
      () => bell.getAttribute('data-unread'),
      (value) => value === '1',
      'the drafter’s bell',
      2000,
    )
    const bellMs = Date.now() - sentAt
    const notes = await eventually(
      () =>
        d.page.evaluate(() =>
          Reflect.get(window, 'notes').map((n: { title: string; body: string }) => ({
            title: n.title,
            body: n.body,
          })),
        ),
      (list: unknown[]) => list.length === 1,
      'the desktop notification',
      2000,
    )
    const notifiedMs = Date.now() - sentAt
    expect(notes).toEqual([
      {
        title: `王芳 在《${TITLE}》中提出了修订建议`,
        body: '建议将「二十四小时值班」改为「全天候值班」',
      },
    ])
    expect(notifiedMs).toBeLessThan(2000)
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
    fs.writeFileSync(
      path.join(SCREENSHOT_DIR, 'notices-latency.txt'),
      `suggestion → drafter's bell ${bellMs} ms, desktop notification ${notifiedMs} ms\n`,
    )

    // The drafter opens the notice: the document, scrolled to the suggested text, in the 修订 tab.
    await openBell(d.page)
    const notice = d.page.locator('[data-testid="inbox-item"]').first()
    expect(await notice.getAttribute('data-read')).toBe('false')
    await screenshot(d.page, 'notices-bell-items')
    await notice.locator('button.open').click()
    await editorBody(d.page).waitFor({ state: 'visible' })
    expect(new URL(d.page.url()).pathname).toBe(`/documents/${documentId}`)
    expect(new URL(d.page.url()).searchParams.get('suggestion')).not.toBeNull()
    await eventually(
      () => onScreen(d.page, '二十四小时值班'),
      (visible) => visible,
      'the suggested text in view',
    )
    await d.page.locator('[data-testid="suggestion"]').first().waitFor()
    await screenshot(d.page, 'notices-opened-at-suggestion')
    await eventually(
      () => bell.getAttribute('data-unread'),
      (value) => value === '0',
      'the notice marked read',
    )

    // The drafter accepts it: the reviewer hears of the decision.
    await d.page.locator('[data-testid="accept-suggestion"]').first().click()
    await eventually(
      () => reviewerBell.getAttribute('data-unread'),
      (value) => value === '1',
      'the reviewer hears of the decision',
      5000,
    )
    await openBell(r.page)
    expect(await r.page.locator('[data-testid="inbox-item"]').first().textContent()).toContain(
      `张伟 采纳了你在《${TITLE}》中的修订建议`,
    )
    await screenshot(r.page, 'notices-decision')
    await r.page.keyboard.press('Escape')

    // 修订 by typing rings the drafter's bell too, quoting the words typed.
    await selectText(r.page, '确保信息畅通', true)
    const typedAt = Date.now()
    await r.page.keyboard.type('A1', { delay: 20 })
    await r.page.keyboard.insertText('，请及时上报')
    await eventually(
      () => bell.getAttribute('data-unread'),
      (value) => value === '1',
      'the drafter hears of the typed suggestion',
      2000,
    )
    const typedMs = Date.now() - typedAt
    const typedNotes = await eventually(
      () =>
        d.page.evaluate(() =>
          Reflect.get(window, 'notes').map((n: { title: string; body: string }) => n.body),
        ),
      (list: string[]) => list.length === 2,
      'the second desktop notification',
    )
    expect(typedNotes[1]).toMatch(/^建议插入「A/)
    fs.appendFileSync(
      path.join(SCREENSHOT_DIR, 'notices-latency.txt'),
      `typed suggestion → drafter's bell ${typedMs} ms (${typedNotes[1] ?? ''})\n`,
    )
    await r.context.close()
    await d.context.close()
  })

  test('the member and 主送 pickers find 张伟 by "zw" with unit and post; 通讯录 finds by phone and lists by rank', async () => {
    const documentId = await leader.api.createDocument('关于调整值班安排的通知')
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, leader.username, leader.password)
    await openDocument(page, e2e.app.url, documentId)

    // 主送: a 机关 picked from the 通讯录 through a person found by initials.
    await page.locator('[data-testid="recipient-picker-mainRecipients"]').click()
    await page.locator('input[data-testid="recipient-search-mainRecipients"]').fill('zw')
    const recipient = page.locator('[data-testid="recipient-person-zhang.wei"]')
    await recipient.waitFor({ state: 'visible' })
    expect(await recipient.textContent()).toContain('市政府办公厅 · 副主任')
    await page.waitForTimeout(300)
    await screenshot(page, 'notices-recipient-picker-zw')
    await recipient.getByRole('button').click()
    await eventually(
      () => page.locator('[data-testid="meta-mainRecipients"]').inputValue(),
      (value) => value === '市政府办公厅',
      'the unit in 主送',
    )

    await page.locator('[data-testid="open-members"]').click()
    await page.locator('input[data-testid="member-search"]').fill('zw')
    const result = page.locator('[data-testid="member-result-zhang.wei"]')
    await result.waitFor({ state: 'visible' })
    expect(await result.textContent()).toContain('张伟')
    expect(await result.locator('[data-testid="member-result-placement"]').textContent()).toBe(
      '市政府办公厅 · 副主任',
    )
    await screenshot(page, 'notices-member-picker-zw')
    await result.getByRole('button').click()
    await page.locator('[data-testid="member-zhang.wei"]').waitFor()
    await page.keyboard.press('Escape')

    // 通讯录: the own unit in rank order, then a search by the last 4 digits of a phone.
    await page.locator('[data-testid="nav-directory"]').click()
    const members = page.locator('[data-testid="directory-members"]')
    await members.waitFor({ state: 'visible' })
    await members.getByText('王芳').waitFor()
    const names = await members
      .locator('.el-table__body tr')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent?.trim() ?? ''))
    expect(names).toEqual(['李娜', '张伟', '王芳'])
    await page.locator('input[data-testid="directory-search"]').fill('4721')
    const results = page.locator('[data-testid="directory-results"]')
    await results.getByText('张伟').waitFor()
    const rows = await results
      .locator('.el-table__body tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      )
    expect(rows).toEqual([['张伟', 'zhang.wei', expect.stringContaining('副主任'), '13805314721']])
    await screenshot(page, 'notices-directory-phone')
    await context.close()
  })
})
