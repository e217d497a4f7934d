/**
 * A document's life from the list, in Chromium: 移入回收站 and 恢复 (content and members kept; an
 * editor's open page is told), 归档 (the owner's and an editor's pages show 已归档 and take no
 * typing), 新建 while offline (created on reconnect with what was typed), 导入 Word from the list
 * (the row shows its 文种), and the audit log as sentences with names.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import {
  SCREENSHOT_DIR,
  editorBody,
  editorText,
  eventually,
  firstParagraph,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { connect, synced } from '../utils/yclient'
import { ADMIN_PASSWORD } from '../utils/relay'
import { refusedRequests, useE2E } from './setup'

describe('回收站, 归档, offline 新建 and 导入 Word from the list', () => {
  const e2e = useE2E({
    allowConsole: [
      {
        text: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        reason: 'the offline test takes the browser offline on purpose',
      },
      refusedRequests(
        [404],
        'the editor of a document moved to the 回收站 re-reads it and is told it is gone',
      ),
    ],
  })
  let owner: E2EUser
  let editor: E2EUser

  beforeAll(async () => {
    owner = await e2e.app.createUser('wang.fang', '王芳')
    editor = await e2e.app.createUser('li.qiang', '李强')
  })

  async function seed(title: string, text: string): Promise<string> {
    const id = await owner.api.createDocument(title)
    await owner.api.share(id, editor.id, 'editor')
    const client = connect(e2e.app.relay.wsUrl, `doc:${id}`, owner.token)
    await synced(client)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(text)])
    client.doc.getXmlFragment('body').insert(0, [paragraph])
    await new Promise((resolve) => setTimeout(resolve, 300))
    client.destroy()
    return id
  }

  function row(page: Page, title: string) {
    return page.locator('[data-testid="document-table"] .el-table__row', { hasText: title })
  }

  test('移入回收站 hides it for everyone and 恢复 brings it back whole', async () => {
    const title = '关于做好防汛工作的通知'
    const id = await seed(title, '各市人民政府：防汛形势严峻。')
    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    await loginThroughUi(a.page, e2e.app.url, owner.username, owner.password)
    await loginThroughUi(b.page, e2e.app.url, editor.username, editor.password)
    await openDocument(b.page, e2e.app.url, id)
    await waitForSyncState(b.page, 'saved')

    await a.page.goto(`${e2e.app.url}/documents`)
    await row(a.page, title).waitFor()
    // Only the owner gets the row's menu.
    await row(a.page, title).locator('[data-testid="row-actions"]').click()
    await a.page.locator('[data-testid="row-delete"]:visible').click()
    await a.page.locator('.el-message-box__btns .el-button--primary').click()
    await row(a.page, title).waitFor({ state: 'detached' })

    // The editor's open page is told at once, and the document is gone from their list.
    await b.page.locator('[data-testid="editor-blocked"]').waitFor()
    expect(await b.page.locator('[data-testid="editor-blocked"]').textContent()).toContain('回收站')
    await b.page.goto(`${e2e.app.url}/documents`)
    await b.page
      .locator('[data-testid="document-table"], [data-testid="documents-empty"]')
      .first()
      .waitFor()
    expect(await row(b.page, title).count()).toBe(0)

    await a.page.locator('[data-testid="open-trash"]').click()
    const trashRow = a.page.locator('[data-testid="trash-row"]', { hasText: title })
    await trashRow.waitFor()
    expect(await trashRow.textContent()).toContain('由 王芳 删除')
    await screenshot(a.page, 'doclife-trash')
    await trashRow.locator('[data-testid="trash-restore"]').click()
    await trashRow.waitFor({ state: 'detached' })
    await a.page.keyboard.press('Escape')
    await row(a.page, title).waitFor()

    // Content and members as they were: the editor opens and edits it again.
    await openDocument(b.page, e2e.app.url, id)
    await eventually(
      () => editorText(b.page),
      (text) => text.includes('防汛形势严峻'),
      'the restored content',
    )
    expect(await b.page.locator('[data-testid="readonly-tag"]').count()).toBe(0)
    await a.context.close()
    await b.context.close()
  })

  test('归档 makes it read-only for the owner and an editor, shown as 已归档', async () => {
    const title = '关于印发2026年工作要点的通知'
    const id = await seed(title, '现将工作要点印发给你们。')
    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    await loginThroughUi(a.page, e2e.app.url, owner.username, owner.password)
    await loginThroughUi(b.page, e2e.app.url, editor.username, editor.password)
    await openDocument(b.page, e2e.app.url, id)
    await waitForSyncState(b.page, 'saved')
    expect(await editorBody(b.page).getAttribute('contenteditable')).toBe('true')

    await a.page.goto(`${e2e.app.url}/documents`)
    await row(a.page, title).locator('[data-testid="row-actions"]').click()
    await a.page.locator('[data-testid="row-archive"]:visible').click()
    await a.page.locator('.el-message-box__btns .el-button--primary').click()
    await row(a.page, title).locator('[data-testid="archived-tag"]').waitFor()
    await screenshot(a.page, 'doclife-list-archived')

    // The editor's page reopens read-only, with 已归档.
    await b.page.locator('[data-testid="archived-tag"]').waitFor()
    await eventually(
      () => editorBody(b.page).getAttribute('contenteditable'),
      (value) => value === 'false',
      'the editor to become read-only',
    )
    await openDocument(a.page, e2e.app.url, id)
    await a.page.locator('[data-testid="archived-tag"]').waitFor()
    expect(await editorBody(a.page).getAttribute('contenteditable')).toBe('false')
    expect(await a.page.locator('[data-testid="start-approval"]').count()).toBe(0)
    await firstParagraph(a.page).click()
    await a.page.keyboard.type('归档后不能修改', { delay: 10 })
    expect(await editorText(a.page)).not.toContain('归档后不能修改')
    await screenshot(a.page, 'doclife-archived')
    await a.context.close()
    await b.context.close()
  })

  test('新建 offline opens at once and is created on reconnect with what was typed', async () => {
    const a = await newUser(e2e.browser)
    await loginThroughUi(a.page, e2e.app.url, owner.username, owner.password)
    await a.page.goto(`${e2e.app.url}/documents`)
    await a.page.locator('[data-testid="new-document"]').waitFor()
    // The service worker has the app shell by now.
    await a.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await a.context.setOffline(true)

    const title = '关于离线起草的请示'
    await a.page.locator('[data-testid="new-document"]').click()
    await a.page.locator('#new-document-title').fill(title)
    await a.page.locator('[data-testid="new-document-submit"]').click()
    await a.page.waitForURL(/\/documents\/[0-9a-f-]{36}$/)
    const id = a.page.url().split('/').pop() ?? ''
    await editorBody(a.page).waitFor()
    await firstParagraph(a.page).click()
    await a.page.keyboard.type('离线时写下的第一段。', { delay: 10 })
    await waitForSyncState(a.page, 'offline')

    await a.context.setOffline(false)
    await waitForSyncState(a.page, 'saved', 20_000)
    // On the relay now, with its content.
    const summary = await owner.api.request<{ id: string; role: string }>('GET', `/documents/${id}`)
    expect(summary.status).toBe(200)
    const reader = connect(e2e.app.relay.wsUrl, `doc:${id}`, owner.token)
    await synced(reader)
    expect(reader.doc.getXmlFragment('body').toString()).toContain('离线时写下的第一段。')
    reader.destroy()
    await a.page.goto(`${e2e.app.url}/documents`)
    await row(a.page, title).waitFor()
    expect(await row(a.page, title).locator('[data-testid="pending-tag"]').count()).toBe(0)
    await a.context.close()
  })

  test('导入 Word on the list creates a new document that shows its 文种', async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
    const file = path.join(SCREENSHOT_DIR, 'doclife-import.docx')
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              heading: HeadingLevel.TITLE,
              children: [new TextRun('关于商请支持防汛物资调拨的函')],
            }),
            new Paragraph({ children: [new TextRun('省应急管理厅：')] }),
            new Paragraph({ children: [new TextRun('为做好防汛物资保障，现商请贵厅予以支持。')] }),
          ],
        },
      ],
    })
    fs.writeFileSync(file, await Packer.toBuffer(doc))
    const a = await newUser(e2e.browser)
    await loginThroughUi(a.page, e2e.app.url, owner.username, owner.password)
    await a.page.goto(`${e2e.app.url}/documents`)
    const [chooser] = await Promise.all([
      a.page.waitForEvent('filechooser'),
      a.page.locator('[data-testid="import-word"]').click(),
    ])
    await chooser.setFiles(file)
    await a.page.locator('[data-testid="import-summary"]').waitFor()
    expect(await a.page.locator('[data-testid="import-replace"] input').isDisabled()).toBe(true)
    await a.page.locator('[data-testid="import-start"]').click()
    await a.page.waitForURL(/\/documents\/[0-9a-f-]{36}$/, { timeout: 20_000 })
    await eventually(
      () => editorText(a.page),
      (text) => text.includes('现商请贵厅予以支持'),
      'the imported body',
    )
    await a.page.goto(`${e2e.app.url}/documents`)
    const imported = row(a.page, '关于商请支持防汛物资调拨的函')
    await imported.waitFor()
    expect(await imported.textContent()).toContain('函')
    expect(await imported.locator('.el-tag', { hasText: /^函$/ }).count()).toBe(1)
    await a.context.close()
  })

  test('the audit log reads as sentences with names', async () => {
    const a = await newUser(e2e.browser)
    await loginThroughUi(a.page, e2e.app.url, 'admin', ADMIN_PASSWORD)
    await a.page.goto(`${e2e.app.url}/admin/audit`)
    const sentences = a.page.locator('[data-testid="audit-sentence"]')
    await sentences.first().waitFor()
    const all = (await sentences.allTextContents()).join('\n')
    expect(all).toContain('王芳 从回收站恢复了《关于做好防汛工作的通知》')
    expect(all).toContain('王芳 将《关于做好防汛工作的通知》移入回收站')
    expect(all).toContain('王芳 将 李强 设为《关于印发2026年工作要点的通知》的编辑者')
    expect(all).toContain('王芳 归档了《关于印发2026年工作要点的通知》')
    expect(all).not.toMatch(/doc\.|acl\.|[0-9a-f]{8}-[0-9a-f]{4}-/)
    await screenshot(a.page, 'doclife-audit')
    await a.context.close()
  })
})
