/**
 * Word habits and the page view, end to end in the real web client and relay: Ctrl+P in the
 * editor opens the GB/T 9704 print layout, whose PDF (Chromium's page.pdf(), as headless Chromium
 * has no print dialog) has the document's pages on A4 with the 发文字号 on page 1 and the 版记 on
 * the last; Ctrl+S says where the work is safe, online and offline; every page and document names
 * the window; the editor shows separate A4 sheets, the text on their type areas and the 版记 at the
 * foot of the last.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import {
  SCREENSHOT_DIR,
  eventually,
  firstParagraph,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { draftNotice, relayBodyText } from '../utils/gongwenDraft'
import { useE2E } from './setup'

const OUT = path.join(SCREENSHOT_DIR, 'word-habits')
const TITLE = '关于做好春节期间值班工作的通知'
const NUMBER = '鲁政办发〔2024〕7号'
/** One-line paragraphs enough for three pages under the masthead, with the closing and 版记. */
const PARAGRAPHS = Array.from(
  { length: 44 },
  (_, index) => `第${index + 1}项：值班安排已落实到人。`,
)
const MM = 96 / 25.4

/** @returns the text of each page of a PDF (pdftotext ends every page with a form feed). */
function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  return text
    .split('\f')
    .map((page) => page.replace(/\s+/g, ''))
    .filter((page, index, all) => page !== '' || index < all.length - 1)
}

describe('Word habits and the page view', () => {
  const e2e = useE2E({
    allowConsole: [
      {
        text: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        reason: 'the Ctrl+S test takes the browser offline on purpose',
      },
    ],
  })
  let drafter: E2EUser
  let documentId: string

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true })
    drafter = await e2e.app.createUser('zhao.min', '赵敏')
    documentId = await drafter.api.createDocument(TITLE)
    await draftNotice(e2e.app, drafter, documentId, {
      title: TITLE,
      documentNumber: NUMBER,
      paragraphs: PARAGRAPHS,
    })
  })

  async function openAsDrafter(): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    return { page, close: () => context.close() }
  }

  test('Ctrl+P in the editor opens the print layout; its PDF has 3 A4 pages, the 发文字号 on page 1 and the 版记 on page 3', async () => {
    const { page, close } = await openAsDrafter()
    // Headless Chromium has no print dialog: a real window.print() would hold the page as "being
    // printed" and refuse page.pdf(). Record the call instead (the web client's 打印 is exactly that).
    await page.evaluate(() => {
      const counted = window as unknown as { printCalls: number }
      counted.printCalls = 0
      window.print = () => {
        counted.printCalls++
      }
    })
    await firstParagraph(page).click()
    await page.keyboard.press('Control+p')
    await page.waitForURL(`**/documents/${documentId}/print?auto=1`)
    await page.locator('[data-testid="print-view"][data-ready="true"]').waitFor({ timeout: 20_000 })
    expect(await page.title()).toBe(`打印预览：《${TITLE}》 - 齐鲁办公`)
    // The layout asked the browser to print it once it was ready (the print dialog on the web).
    await eventually(
      () => page.evaluate(() => (window as unknown as { printCalls: number }).printCalls),
      (calls) => calls === 1,
      'one print request',
    )
    await screenshot(page, 'word-habits/print-layout')

    const file = path.join(OUT, 'notice-3-pages.pdf')
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: file, preferCSSPageSize: true, printBackground: true })
    await page.emulateMedia({ media: 'screen' })
    await close()

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/Pages:\s+3\n/)
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/)
    const pages = pdfPages(file)
    expect(pages).toHaveLength(3)
    expect(pages[0]).toContain(NUMBER)
    expect(pages[0]).toContain('—1—')
    expect(pages[1]).not.toContain('抄送')
    expect(pages[2]).toContain('抄送：省委各部门。')
    expect(pages[2]).toContain('2024年1月26日印发')
    expect(pages[2]).toContain(`第${PARAGRAPHS.length}项`)
    execFileSync('pdftoppm', ['-png', '-r', '40', file, path.join(OUT, 'notice-page')])
  })

  test('Ctrl+S confirms 已保存到服务器 once the relay holds the text; offline it says the work is kept on this device', async () => {
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    await firstParagraph(page).click()
    await page.keyboard.press('End')
    await page.keyboard.type('（已核）')
    await page.keyboard.press('Control+s')
    const confirmation = page.locator('.qilu-save-confirmation')
    await confirmation.filter({ hasText: '已保存到服务器' }).waitFor({ timeout: 10_000 })
    // What the confirmation promises is true on the relay at that moment.
    expect(await relayBodyText(e2e.app, documentId)).toContain('（已核）')
    await screenshot(page, 'word-habits/ctrl-s-saved')

    await context.setOffline(true)
    await waitForSyncState(page, 'offline', 5000)
    await page.keyboard.type('（离线补充）')
    await page.keyboard.press('Control+s')
    await confirmation.filter({ hasText: '已保存在本设备' }).waitFor({ timeout: 10_000 })
    expect(await confirmation.last().textContent()).toContain('联网后将自动同步')
    await screenshot(page, 'word-habits/ctrl-s-offline')
    expect(await relayBodyText(e2e.app, documentId)).not.toContain('（离线补充）')

    await context.setOffline(false)
    await waitForSyncState(page, 'saved', 15_000)
    await eventually(
      () => relayBodyText(e2e.app, documentId),
      (text) => text.includes('（离线补充）'),
      'the offline text to reach the relay',
    )
    await context.close()
  })

  test('each page and document names the window', async () => {
    const { context, page } = await newUser(e2e.browser)
    await page.goto(`${e2e.app.url}/login`)
    await eventually(
      () => page.title(),
      (title) => title === '登录 - 齐鲁办公',
      'login title',
    )
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    expect(await page.title()).toBe('工作台 - 齐鲁办公')
    const expected: [string, string][] = [
      ['/approvals', '待办 - 齐鲁办公'],
      ['/documents', '公文 - 齐鲁办公'],
      ['/meetings', '会议 - 齐鲁办公'],
      ['/directory', '通讯录 - 齐鲁办公'],
      [`/documents/${documentId}`, `《${TITLE}》 - 齐鲁办公`],
    ]
    for (const [route, title] of expected) {
      await page.goto(`${e2e.app.url}${route}`)
      await eventually(
        () => page.title(),
        (value) => value === title,
        `the title of ${route}`,
      )
    }
    // Back from the document (in-app navigation), the list names the window again.
    await page.goBack()
    await eventually(
      () => page.title(),
      (value) => value === '通讯录 - 齐鲁办公',
      'back',
    )
    await context.close()
  })

  /** @returns the sheets, every line of body text and the 版记 of the open editor (viewport px) */
  function pageGeometry(page: Page) {
    return page.evaluate(() => {
      const rect = (element: Element) => {
        const box = element.getBoundingClientRect()
        return { top: box.top, bottom: box.bottom, left: box.left, right: box.right }
      }
      const sheetRects = [...document.querySelectorAll('[data-testid="page-sheet"]')].map(rect)
      const body = document.querySelector('[data-testid="editor"] .ProseMirror')
      const lines: { top: number; bottom: number }[] = []
      if (body !== null) {
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT)
        const range = document.createRange()
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          range.selectNodeContents(node)
          for (const box of range.getClientRects()) {
            lines.push({ top: box.top, bottom: box.bottom })
          }
        }
      }
      const imprint = document.querySelector('[data-testid="page-imprint"]')
      return { sheetRects, lines, imprint: imprint === null ? null : rect(imprint) }
    })
  }

  /** Checks the sheets: A4 each, apart, every line of text inside a type area, text on each. */
  async function expectSheets(page: Page, count: number) {
    await eventually(
      () => page.locator('[data-testid="page-sheet"]').count(),
      (value) => value === count,
      `${count} sheets`,
    )
    const { sheetRects, lines, imprint } = await pageGeometry(page)
    for (const sheet of sheetRects) {
      expect(sheet.bottom - sheet.top).toBeCloseTo(297 * MM, -1)
      expect(sheet.right - sheet.left).toBeCloseTo(210 * MM, -1)
    }
    for (let index = 1; index < sheetRects.length; index++) {
      expect(sheetRects[index]!.top - sheetRects[index - 1]!.bottom).toBeGreaterThan(3 * MM)
    }
    // Every line of body text lies inside the type area of a sheet (37 mm under its top, 225 mm).
    const typeAreas = sheetRects.map((sheet) => ({
      top: sheet.top + 37 * MM,
      bottom: sheet.top + (37 + 225) * MM,
    }))
    const outside = lines.filter(
      (line) =>
        !typeAreas.some((area) => line.top >= area.top - 2 && line.bottom <= area.bottom + 2),
    )
    expect(outside).toEqual([])
    for (const area of typeAreas.slice(1)) {
      const on = lines.filter((line) => line.top >= area.top - 2 && line.bottom <= area.bottom + 2)
      expect(on.length).toBeGreaterThan(0)
    }
    return { sheetRects, lines, imprint, typeAreas }
  }

  test('the editor shows separate A4 sheets: the text on their type areas, gaps between them, the 版记 at the foot of the last', async () => {
    const { page, close } = await openAsDrafter()
    const { sheetRects, lines, imprint, typeAreas } = await expectSheets(page, 3)
    expect(lines.length).toBeGreaterThanOrEqual(PARAGRAPHS.length)
    expect(imprint).not.toBeNull()
    expect(Math.abs(imprint!.bottom - typeAreas[2]!.bottom)).toBeLessThan(4)

    // A look at the break between pages 1 and 2, and at the foot of the last page.
    const scroll = (y: number) =>
      page.evaluate((by) => document.querySelector('.desk')?.scrollBy(0, by), y)
    await scroll(sheetRects[0]!.bottom - 450)
    await screenshot(page, 'word-habits/page-view-break')
    await scroll(sheetRects[2]!.bottom - sheetRects[0]!.bottom)
    await screenshot(page, 'word-habits/page-view-last')
    await close()
  })

  test('a paragraph that runs over the foot of a sheet goes on at the top of the next, and follows typing', async () => {
    const id = await drafter.api.createDocument('关于加强值班工作的意见')
    const long =
      '各单位要严格执行领导干部带班和工作人员值班制度，值班人员要坚守岗位、尽职尽责，' +
      '确保通信联络畅通，遇有突发事件要按规定及时报告并妥善处置，不得迟报、漏报、瞒报，' +
      '切实做到守土有责、守土负责、守土尽责，确保节日期间社会大局持续稳定。'
    await draftNotice(e2e.app, drafter, id, {
      title: '关于加强值班工作的意见',
      documentNumber: '鲁政办发〔2024〕8号',
      paragraphs: Array.from({ length: 8 }, (_, index) => `${index + 1}. ${long}`),
    })
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
    await openDocument(page, e2e.app.url, id)
    await waitForSyncState(page, 'saved')
    const before = await expectSheets(page, 3)
    // The paragraphs are five lines long: some break inside, at a line.
    expect(await page.locator('.gw-page-gap--line').count()).toBeGreaterThan(0)
    await page.evaluate(
      (y) => document.querySelector('.desk')?.scrollBy(0, y),
      before.sheetRects[0]!.bottom - 450,
    )
    await screenshot(page, 'word-habits/page-view-paragraph-break')

    // Typing a line's worth into the first paragraph moves every later line; the breaks follow.
    await firstParagraph(page).click()
    await page.keyboard.press('End')
    await page.keyboard.type('另须做好值班记录和交接班工作，确保万无一失。')
    await eventually(
      async () => {
        try {
          await expectSheets(page, 3)
          return true
        } catch {
          return false
        }
      },
      (ok) => ok,
      'the sheets to follow the typing',
    )
    expect(await relayBodyText(e2e.app, id).then((text) => text.split('\n').length)).toBe(8)
    await context.close()
  })
})
