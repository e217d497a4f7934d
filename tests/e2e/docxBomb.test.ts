/**
 * Issue 17, finding 13, in Chromium: a 1.3 MB .docx holding a 1.2 GB document.xml is refused at
 * once with the reason in Chinese, and the page's memory stays where it was. The same bomb with a
 * forged directory (declaring 2 KB) is caught while it inflates, after the first megabyte or so.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loginThroughUi, newUser, openDocument } from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { docxBomb, withDeclaredSize } from '../utils/zipBomb'
import { useE2E } from './setup'

const UNPACKED = 1_200_000_000

describe('importing a Word decompression bomb', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let documentId: string
  let folder: string
  let honest: string
  let forged: string

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-bomb-'))
    const bomb = await docxBomb(UNPACKED)
    honest = path.join(folder, '炸弹.docx')
    forged = path.join(folder, '伪装的炸弹.docx')
    fs.writeFileSync(honest, bomb)
    fs.writeFileSync(forged, withDeclaredSize(bomb, 'word/document.xml', 2048))
    drafter = await e2e.app.createUser('bomber', '拆弹员')
    documentId = await drafter.api.createDocument('导入测试')
  }, 180_000)

  afterAll(async () => {
    fs.rmSync(folder, { recursive: true, force: true })
  })

  for (const [label, file, message] of [
    ['declaring its 1.2 GB', () => honest, /解压后达 1144\.\d MB，超过 64\.0 MB 的上限/],
    ['declaring 2 KB', () => forged, /解压后的内容比其声明的大/],
  ] as const) {
    test(`a bomb ${label} is refused within seconds with the reason, the page's heap staying bounded`, async () => {
      expect(fs.statSync(file()).size).toBeLessThan(2 * 1024 * 1024)
      const { context, page } = await newUser(e2e.browser)
      await loginThroughUi(page, e2e.app.url, drafter.username, drafter.password)
      await openDocument(page, e2e.app.url, documentId)
      const cdp = await context.newCDPSession(page)
      const heap = async () => {
        const usage = (await cdp.send('Runtime.getHeapUsage')) as {
          usedSize: number
          backingStorageSize?: number
        }
        return usage.usedSize + (usage.backingStorageSize ?? 0)
      }
      await cdp.send('HeapProfiler.collectGarbage')
      const before = await heap()
      let peak = before
      let sampling = true
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await heap().catch(() => peak))
          await new Promise((resolve) => setTimeout(resolve, 25))
        }
      })()

      await page.locator('[data-testid="io-menu"]').click()
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.locator('[data-testid="io-import"]').click(),
      ])
      const started = Date.now()
      await chooser.setFiles(file())
      const problem = page.locator('[data-testid="import-problem"]')
      await problem.waitFor({ state: 'visible', timeout: 10_000 })
      const elapsed = Date.now() - started
      sampling = false
      await sampler
      expect(await problem.textContent()).toMatch(message)
      expect(await problem.textContent()).toContain('已拒绝导入')
      expect(elapsed).toBeLessThan(5_000)
      // The page holds the 1.3 MB file and a little more, never the gigabyte.
      expect(peak - before).toBeLessThan(64 * 1024 * 1024)
      await context.close()
    })
  }
})
