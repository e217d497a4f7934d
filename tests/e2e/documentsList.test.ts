/**
 * The documents screen and the features around the editor, end to end in Chromium: a 通知 created
 * from its template is found by a phrase of its body; a version is saved, compared with a
 * colleague's later change (留痕 in her colour) and restored; a reviewer's @mention rings the
 * drafter's bell and opens the document at the thread; a unit is granted a role in the members panel.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import {
  editorText,
  eventually,
  firstParagraph,
  loginThroughUi,
  newUser,
  pickInTreeSelect,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { connect, synced } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import type { ApiUnit, DocumentSummary } from '../../shared/api'
import { useE2E } from './setup'

const TITLE = '关于做好汛期防汛值班工作的通知'
const PHRASE = '各级防汛指挥部要落实二十四小时值班制度'

/** The first Y.XmlText of the body holding `needle`, with the offset of the needle. */
function textHolding(doc: Y.Doc, needle: string): { text: Y.XmlText; at: number } {
  for (const block of doc.getXmlFragment('body').toArray()) {
    if (!(block instanceof Y.XmlElement)) {
      continue
    }
    for (const child of block.toArray()) {
      if (child instanceof Y.XmlText && child.toString().includes(needle)) {
        return { text: child, at: child.toString().indexOf(needle) }
      }
    }
  }
  throw new Error(`"${needle}" is not in the body`)
}

/** Confirms the open Element Plus message box (prompt or confirm). */
async function confirmBox(page: Page, input?: string): Promise<void> {
  const box = page.locator('.el-message-box')
  await box.waitFor({ state: 'visible' })
  if (input !== undefined) {
    await box.locator('input').fill(input)
  }
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

describe('documents screen, versions, inbox and members by unit', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let colleague: E2EUser
  let reviewer: E2EUser
  const clients: Client[] = []

  beforeAll(async () => {
    drafter = await e2e.app.createUser('zhang.wei', '张伟')
    colleague = await e2e.app.createUser('li.na', '李娜')
    reviewer = await e2e.app.createUser('wang.fang', '王芳')
  })

  afterAll(async () => {
    clients.forEach((c) => c.destroy())
  })

  test('search by a body phrase, a version saved, compared and restored, a mention in the inbox', async () => {
    const d = await newUser(e2e.browser)
    const pageErrors: string[] = []
    d.page.on('pageerror', (error) => pageErrors.push(String(error)))
    await loginThroughUi(d.page, e2e.app.url, drafter.username, drafter.password)

    // A 通知 from the new-document dialog starts from its template (seeded by the relay).
    await d.page.locator('[data-testid="nav-documents"]').click()
    await d.page.locator('[data-testid="new-document"]').click()
    await d.page.locator('#new-document-title').fill(TITLE)
    await d.page.locator('[data-testid="new-document-type"]').click()
    await d.page.locator('.el-select-dropdown__item:visible', { hasText: /^通知$/ }).click()
    // Let the dropdown finish closing before the picture.
    await d.page.waitForTimeout(400)
    await screenshot(d.page, 'docs-new-dialog')
    await d.page.locator('[data-testid="new-document-submit"]').click()
    await eventually(
      () => editorText(d.page),
      (text) => text.includes('特此通知。'),
      'the 通知 template body',
    )
    const documentId = new URL(d.page.url()).pathname.split('/').pop() ?? ''
    await firstParagraph(d.page).click()
    await d.page.keyboard.press('End')
    await d.page.keyboard.insertText(PHRASE)
    await waitForSyncState(d.page, 'saved')

    // 保存版本 “初稿”.
    await d.page.locator('[data-testid="open-versions"]').click()
    const panel = d.page.locator('[data-testid="versions-panel"]')
    await panel.locator('[data-testid="save-version"]').click()
    await confirmBox(d.page, '初稿')
    const draftRow = panel
      .locator('li.version')
      .filter({ has: d.page.locator('.name', { hasText: /^初稿$/ }) })
    await draftRow.waitFor()
    expect(await draftRow.textContent()).toContain('张伟')

    // A colleague edits the body: 二十四小时 → 全天候.
    await drafter.api.share(documentId, colleague.id, 'editor')
    const li = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, colleague.token)
    clients.push(li)
    await synced(li)
    li.doc.transact(() => {
      const { text, at } = textHolding(li.doc, '二十四小时')
      text.delete(at, 5)
      text.insert(at, '全天候')
    })
    await eventually(
      () => editorText(d.page),
      (text) => text.includes('落实全天候值班'),
      "the colleague's change in the drafter's editor",
    )

    // 与当前比较: the deletion and the insertion are hers, in her colour.
    await draftRow.getByRole('button', { name: '与当前比较' }).click()
    const compare = d.page.locator('[data-testid="version-compare"]')
    await compare.locator('.sheet[data-ready="true"]').waitFor()
    const removed = compare.locator('ychange.ychange-removed', { hasText: '二十四小时' })
    const added = compare.locator('ychange.ychange-added', { hasText: '全天候' })
    await removed.waitFor()
    expect(await removed.getAttribute('data-user')).toBe(colleague.id)
    expect(await added.getAttribute('data-user')).toBe(colleague.id)
    const colour = await removed.evaluate((el) => getComputedStyle(el).textDecorationLine)
    expect(colour).toContain('line-through')
    expect(await compare.locator('[data-testid="legend-李娜"]').textContent()).toMatch(
      /增 3 字.*删 5 字/,
    )
    // The compared text is laid out as in the page view: the same line width and letter pitch.
    const metrics = (selector: string): Promise<{ width: number; pitch: string; font: string }> =>
      d.page
        .locator(selector)
        .first()
        .evaluate((el) => {
          const style = getComputedStyle(el)
          const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight)
          return {
            width: Math.round(el.clientWidth - padding),
            pitch: style.letterSpacing,
            font: style.fontFamily,
          }
        })
    expect(await metrics('[data-testid="version-compare"] .history')).toEqual(
      await metrics('.gw-flow'),
    )
    await screenshot(d.page, 'docs-version-compare')
    await d.page.keyboard.press('Escape')
    await compare.waitFor({ state: 'hidden' })

    // 恢复此版本: the text comes back as a new change on top, the history keeps everything.
    await draftRow.locator('[data-testid="restore-version"]').click()
    await confirmBox(d.page)
    await eventually(
      () => editorText(d.page),
      (text) => text.includes(PHRASE) && !text.includes('全天候'),
      'the restored body',
    )
    await panel.locator('li.version[data-kind="restore"]').first().waitFor()
    expect(await panel.locator('li.version').first().textContent()).toContain('恢复至：初稿')
    await screenshot(d.page, 'docs-versions-panel')
    await d.page.keyboard.press('Escape')

    // The documents screen finds it by a phrase of its body, the match marked in the excerpt.
    await d.page.locator('[data-testid="nav-documents"]').click()
    const search = d.page.locator('input[data-testid="document-search"]')
    await search.fill('防汛指挥部要落实')
    await eventually(
      async () => {
        await search.press('Enter')
        await d.page.waitForTimeout(300)
        return d.page.locator('[data-testid="search-excerpt"] mark').allTextContents()
      },
      (marks) => marks.includes('防汛指挥部要落实'),
      'the search hit with its excerpt',
      15_000,
    )
    expect(
      await d.page.locator('[data-testid="document-table"] .doc-title').allTextContents(),
    ).toEqual([TITLE])
    expect(new URL(d.page.url()).searchParams.get('q')).toBe('防汛指挥部要落实')
    await screenshot(d.page, 'docs-search')
    // 与我共享 is empty for the drafter; 我起草的 + 通知 lists it.
    await d.page.locator('[data-testid="filter-shared"]').click()
    await d.page.locator('[data-testid="search-empty"]').waitFor()
    await search.fill('')
    await search.press('Enter')
    await d.page.locator('[data-testid="filter-mine"]').click()
    await d.page.locator('[data-testid="document-type-filter"]').click()
    await d.page.locator('.el-select-dropdown__item:visible', { hasText: /^通知$/ }).click()
    await eventually(
      () => d.page.locator('[data-testid="document-table"] .doc-title').allTextContents(),
      (titles) => titles.length === 1 && titles[0] === TITLE,
      'the 我起草的 + 通知 filter',
    )
    expect(new URL(d.page.url()).searchParams.get('type')).toBe('notice')

    // A reviewer @mentions the drafter in a comment: the bell rings live.
    await drafter.api.share(documentId, reviewer.id, 'commenter')
    const wang = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, reviewer.token)
    clients.push(wang)
    await synced(wang)
    const threadId = 'thread-e2e-1'
    wang.doc.transact(() => {
      const thread = new Y.Map<unknown>()
      wang.doc.getMap('comments').set(threadId, thread)
      for (const [key, value] of Object.entries({
        id: threadId,
        from: null,
        to: null,
        quote: '值班制度',
        authorId: reviewer.id,
        authorName: '王芳',
        createdAt: Date.now(),
        text: '@张伟 请补充值班人员名单',
        mentions: [drafter.id],
        resolved: false,
        resolvedBy: null,
      })) {
        thread.set(key, value)
      }
      thread.set('replies', new Y.Array<unknown>())
    })
    const bell = d.page.locator('[data-testid="inbox-bell"]')
    await d.page.locator('[data-testid="inbox-bell"][data-unread="1"]').waitFor({ timeout: 10_000 })
    expect(await d.page.locator('[data-testid="inbox-count"]').textContent()).toBe('1')
    await bell.click()
    const item = d.page.locator('[data-testid="inbox-item"]').first()
    await item.waitFor()
    expect(await item.textContent()).toContain(`王芳 在《${TITLE}》中提到了你`)
    expect(await item.textContent()).toContain('请补充值班人员名单')
    await d.page.waitForTimeout(400)
    await screenshot(d.page, 'docs-inbox')
    await item.locator('button.open').click()
    await d.page.waitForURL(`**/documents/${documentId}?thread=${threadId}`)
    // The link opens the 批注 tab with the mentioned thread active.
    const active = d.page.locator(
      '[data-testid="comments-panel"] [data-testid="comment-thread"].active',
    )
    await active.waitFor({ timeout: 10_000 })
    expect(await active.textContent()).toContain('请补充值班人员名单')
    await d.page.locator('[data-testid="inbox-bell"][data-unread="0"]').waitFor()
    expect(await d.page.locator('[data-testid="inbox-count"]').count()).toBe(0)

    // Members by unit: a unit granted 只读 reaches an account posted in it.
    const unit = await e2e.app.admin.request<ApiUnit>('POST', '/admin/units', {
      parentId: null,
      kind: 'province',
      name: '省防汛抗旱指挥部办公室',
      code: 'sfxb',
    })
    expect(unit.status).toBe(201)
    const member = await e2e.app.admin.request<{ id: string }>('POST', '/admin/users', {
      username: 'zhao.min',
      displayName: '赵敏',
      unitId: unit.body.id,
      password: drafter.password,
    })
    expect(member.status).toBe(201)
    await d.page.locator('[data-testid="open-members"]').click()
    const members = d.page.locator('[data-testid="members-panel"]')
    await members.getByRole('tab', { name: '按单位' }).click()
    await pickInTreeSelect(
      d.page,
      members.locator('[data-testid="unit-members"] .el-select').first(),
      '省防汛抗旱指挥部办公室',
    )
    await members.locator('[data-testid="unit-member-grant"]').click()
    await members.locator(`[data-testid="unit-member-${unit.body.id}"]`).waitFor()
    await screenshot(d.page, 'docs-members-units')
    const zhao = await e2e.app.admin.login('zhao.min', drafter.password)
    const seen = await zhao.api.request<DocumentSummary>('GET', `/documents/${documentId}`)
    expect(seen.status).toBe(200)
    expect(seen.body.role).toBe('reader')

    expect(pageErrors).toEqual([])
  })
})
