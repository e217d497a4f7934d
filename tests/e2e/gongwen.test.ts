/**
 * 公文 end to end: a drafter starts a 通知 from its template in the page view, two colleagues
 * co-edit it, a reviewer with the commenter role makes three suggestions and two comments, and the
 * drafter accepts two suggestions, rejects one and resolves the comments — through the real web
 * client, relay and Chromium.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  bodyBlocks,
  editorBody,
  editorText,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  selectText,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { connect, synced } from '../utils/yclient'
import { useE2E } from './setup'

describe('公文 drafting, review and decisions', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let colleagueA: E2EUser
  let colleagueB: E2EUser
  let reviewer: E2EUser

  /**
   * Writes the 发文字号 from the server, as the approval flow's 编号 does, once the relay holds the
   * template (whose one transaction sets the meta keys' empty defaults and the body).
   */
  async function numberAsFlow(documentId: string, number: string): Promise<void> {
    const room = `doc:${documentId}`
    await eventually(
      () => e2e.app.relay.relay.rooms.read(room, (doc) => doc.getXmlFragment('body').toString()),
      (body) => body.includes('特此通知'),
      'the template in the relay',
    )
    await e2e.app.relay.relay.rooms.apply(room, (doc) => {
      doc.getMap<unknown>('meta').set('documentNumber', number)
    })
  }

  beforeAll(async () => {
    drafter = await e2e.app.createUser('zhang.wei', '张伟')
    colleagueA = await e2e.app.createUser('li.na', '李娜')
    colleagueB = await e2e.app.createUser('zhao.min', '赵敏')
    reviewer = await e2e.app.createUser('wang.fang', '王芳')
  })

  test('a 通知 from its template is co-edited, reviewed with suggestions and comments, and decided by the drafter', async () => {
    const d = await newUser(e2e.browser)
    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    const r = await newUser(e2e.browser)
    const pageErrors: string[] = []
    for (const user of [d, a, b, r]) {
      user.page.on('pageerror', (error) => pageErrors.push(error.message))
    }
    await Promise.all([
      loginThroughUi(d.page, e2e.app.url, drafter.username, drafter.password),
      loginThroughUi(a.page, e2e.app.url, colleagueA.username, colleagueA.password),
      loginThroughUi(b.page, e2e.app.url, colleagueB.username, colleagueB.password),
      loginThroughUi(r.page, e2e.app.url, reviewer.username, reviewer.password),
    ])

    // The drafter creates the document and starts it from the 通知 template.
    await d.page.locator('[data-testid="nav-documents"]').click()
    await d.page.locator('[data-testid="new-document"]').click()
    await d.page.locator('#new-document-title').fill('关于做好春节期间值班工作的通知')
    await d.page.locator('#new-document-title').press('Enter')
    await editorBody(d.page).waitFor()
    const documentId = new URL(d.page.url()).pathname.split('/').pop() ?? ''
    await waitForSyncState(d.page, 'saved')
    await d.page.locator('[data-testid="apply-template"]').click()
    await eventually(
      () => bodyBlocks(d.page),
      (blocks) => blocks.includes('一、××××') && blocks.includes('特此通知。'),
      'the template body',
    )
    expect(await d.page.locator('[data-testid="page-title"]').textContent()).toContain(
      '关于做好春节期间值班工作的通知',
    )
    // Heading level 1 of the template is 黑体 in the page view.
    const headingFont = await editorBody(d.page)
      .locator('h1')
      .first()
      .evaluate((el) => getComputedStyle(el).fontFamily)
    expect(headingFont).toMatch(/黑体|SimHei/)

    // 公文要素: the checker flags a 发文字号 with a leading zero and a 成文日期 in the wrong form,
    // and 定位 jumps to the field; a classified 密级 is refused and not written. 发文字号 is the
    // approval flow's (编号): the form shows it read-only, and the server writes it here.
    const numberField = d.page.locator('[data-testid="meta-documentNumber"]')
    expect(await numberField.getAttribute('readonly')).not.toBeNull()
    expect(await numberField.getAttribute('placeholder')).toBe('编号后由流程填写')
    expect(await d.page.locator('[data-testid="meta-signers"]').getAttribute('placeholder')).toBe(
      '签发后由流程填写',
    )
    await d.page.locator('[data-testid="meta-issuingAuthority"]').fill('济南市人民政府办公厅')
    await numberAsFlow(documentId, '济政办发〔2026〕05号')
    await eventually(
      () => numberField.inputValue(),
      (value) => value === '济政办发〔2026〕05号',
      'the server-written 发文字号 in the form',
    )
    await d.page.locator('[data-testid="meta-mainRecipients"]').fill('各区县人民政府，市政府各部门')
    await d.page.locator('[data-testid="meta-writtenDate"]').fill('2026-1-6')
    await d.page.locator('[data-testid="tab-checker"]').click()
    const leadingZero = d.page.locator('[data-code="document_number_leading_zero"]')
    await leadingZero.waitFor()
    await d.page.locator('[data-code="date_form"]').waitFor()
    await screenshot(d.page, 'gongwen-checker')
    await leadingZero.locator('button').click()
    await eventually(
      () => d.page.evaluate(() => document.activeElement?.id ?? ''),
      (id) => id === 'gw-meta-documentNumber',
      'the 发文字号 field to be focused by 定位',
    )
    // Typing into it changes nothing; the number is corrected where it comes from.
    await d.page.keyboard.type('1')
    expect(await numberField.inputValue()).toBe('济政办发〔2026〕05号')
    await numberAsFlow(documentId, '济政办发〔2026〕5号')
    await d.page.locator('[data-testid="meta-writtenDate"]').fill('2026年1月6日')
    await d.page.locator('[data-testid="tab-checker"]').click()
    await leadingZero.waitFor({ state: 'detached' })
    await d.page.locator('[data-testid="tab-meta"]').click()
    await d.page.locator('[data-testid="meta-classification"]').selectOption('秘密')
    await d.page.locator('[data-testid="classified-refusal"]').waitFor()
    expect(await d.page.locator('[data-testid="classified-refusal"]').textContent()).toContain(
      '机要',
    )
    const refusal = d.page.locator('.el-message-box', { hasText: '机要' })
    await refusal.waitFor()
    await refusal.locator('button', { hasText: '确定' }).click()
    await refusal.waitFor({ state: 'detached' })
    expect(await d.page.locator('[data-testid="meta-classification"]').inputValue()).toBe('none')
    expect(await d.page.locator('[data-testid="page-masthead"]').textContent()).toContain(
      '济南市人民政府办公厅文件',
    )

    // Two colleagues (editors) and the reviewer (commenter) join.
    await drafter.api.share(documentId, colleagueA.id, 'editor')
    await drafter.api.share(documentId, colleagueB.id, 'editor')
    await drafter.api.share(documentId, reviewer.id, 'commenter')
    await Promise.all([
      openDocument(a.page, e2e.app.url, documentId),
      openDocument(b.page, e2e.app.url, documentId),
      openDocument(r.page, e2e.app.url, documentId),
    ])

    // The colleagues fill the two sections at the same time.
    const firstSection = '各单位要高度重视节日期间值班工作。'
    const secondSection = '严格落实领导带班和二十四小时值班制度。'
    await selectText(a.page, '××××。')
    await selectText(b.page, '二、××××')
    await b.page.keyboard.press('ArrowDown')
    await b.page.keyboard.press('End')
    await b.page.keyboard.press('Shift+Home')
    await Promise.all([
      a.page.keyboard.type(firstSection, { delay: 15 }),
      b.page.keyboard.type(secondSection, { delay: 15 }),
    ])
    const coEdited = (blocks: string[]): boolean =>
      blocks.includes(firstSection) && blocks.includes(secondSection)
    const drafted = await eventually(() => bodyBlocks(d.page), coEdited, 'both sections at D')
    await eventually(
      () => bodyBlocks(r.page),
      (blocks) => JSON.stringify(blocks) === JSON.stringify(drafted),
      'the reviewer to see the same body',
    )
    await screenshot(d.page, 'gongwen-coedited')

    // The reviewer cannot edit the body: what they type becomes suggestions (修订).
    expect(await editorBody(r.page).getAttribute('contenteditable')).toBe('true')
    await r.page.locator('[data-testid="review-note"]').waitFor()
    // 1: replace 高度重视 by 切实重视 (select and type over it).
    await selectText(r.page, '高度重视')
    await r.page.keyboard.type('切实重视')
    // 2: delete 二十四小时 with Backspace.
    await selectText(r.page, '二十四小时')
    await r.page.keyboard.press('Backspace')
    // 3: insert 春节 before 期间 (after 节日), with the caret and the suggestion box.
    await selectText(r.page, '节日', true)
    await r.page.locator('[data-testid="suggest-edit"]').click()
    await r.page.keyboard.type('（春节）')
    await r.page.keyboard.press('Enter')
    // Two comments.
    await selectText(r.page, '特此通知')
    await r.page.locator('[data-testid="add-comment"]').click()
    await r.page
      .locator('[data-testid="new-comment-text"]')
      .fill('结尾是否改为“特此通知。”单独成段？')
    await r.page.locator('[data-testid="new-comment-submit"]').click()
    await selectText(r.page, '领导带班')
    await r.page.keyboard.press('Control+Alt+m')
    await r.page.locator('[data-testid="new-comment-text"]').fill('请 ')
    await r.page.locator('[data-testid="new-comment-mention"]').click()
    await r.page.locator('[data-testid="mention-search"]').fill('zhang')
    await r.page.locator('[data-testid="mention-zhang.wei"]').click()
    await r.page.locator('[data-testid="new-comment-text"]').press('End')
    await r.page.keyboard.type('明确带班领导名单')
    await r.page.locator('[data-testid="new-comment-submit"]').click()
    await eventually(
      () => r.page.locator('[data-testid="comment-thread"]').count(),
      (count) => count === 2,
      'two comment threads at the reviewer',
    )
    await r.page.locator('[data-testid="tab-suggestions"]').click()
    await eventually(
      () => r.page.locator('[data-testid="suggestion"]').count(),
      (count) => count === 3,
      'three suggestions at the reviewer',
    )
    // Nothing the reviewer did changed the body.
    expect(await bodyBlocks(r.page)).toEqual(drafted)
    await waitForSyncState(r.page, 'saved')
    await screenshot(r.page, 'gongwen-reviewer')

    // The drafter sees them drawn in the body and listed with the reviewer's name.
    await d.page.locator('[data-testid="tab-suggestions"]').click()
    await eventually(
      () => d.page.locator('[data-testid="suggestion"]').count(),
      (count) => count === 3,
      'three suggestions at the drafter',
    )
    expect(await d.page.locator('.gw-suggest-delete').count()).toBeGreaterThanOrEqual(2)
    expect(await d.page.locator('.gw-suggest-insert').allTextContents()).toEqual(
      expect.arrayContaining(['切实重视', '（春节）']),
    )
    expect(await d.page.locator('[data-testid="suggestion"]').first().textContent()).toContain(
      '王芳',
    )
    expect(await d.page.locator('.gw-comment').count()).toBeGreaterThanOrEqual(2)
    expect(await bodyBlocks(d.page)).toEqual(drafted)
    await screenshot(d.page, 'gongwen-drafter-review')

    // Accept the replace and the insert, reject the deletion.
    const card = (kind: string) => d.page.locator(`[data-testid="suggestion"][data-kind="${kind}"]`)
    await card('replace').locator('[data-testid="accept-suggestion"]').click()
    await card('insert').locator('[data-testid="accept-suggestion"]').click()
    await card('delete').locator('[data-testid="reject-suggestion"]').click()
    const decidedBody = await eventually(
      () => bodyBlocks(d.page),
      (blocks) =>
        blocks.includes('各单位要切实重视节日（春节）期间值班工作。') &&
        blocks.includes(secondSection),
      'the accepted changes in the body',
    )
    expect(await d.page.locator('[data-testid="suggestion"]').count()).toBe(0)

    // The drafter resolves both comments.
    await d.page.locator('[data-testid="tab-comments"]').click()
    await eventually(
      () => d.page.locator('[data-testid="comment-thread"]').count(),
      (count) => count === 2,
      'two threads at the drafter',
    )
    expect(await d.page.locator('[data-testid="comment-text"]').allTextContents()).toEqual(
      expect.arrayContaining(['请 @张伟 明确带班领导名单']),
    )
    for (const left of [1, 0]) {
      await d.page.locator('[data-testid="resolve-comment"]').first().click()
      await eventually(
        () => d.page.locator('[data-testid="comment-thread"]').count(),
        (count) => count === left,
        `${left} open threads`,
      )
    }
    await waitForSyncState(d.page, 'saved')
    await screenshot(d.page, 'gongwen-decided')

    // Everyone converges, including the reviewer, who sees the decisions.
    for (const page of [a.page, b.page, r.page]) {
      await eventually(
        () => bodyBlocks(page),
        (blocks) => JSON.stringify(blocks) === JSON.stringify(decidedBody),
        'every copy to converge',
      )
    }
    await r.page
      .locator('[data-testid="decided-suggestion"]')
      .first()
      .waitFor({ state: 'attached' })
    expect(
      await r.page
        .locator('[data-testid="decided-suggestion"]')
        .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-status')).sort()),
    ).toEqual(['accepted', 'accepted', 'rejected'])

    // The relay's copy (a fresh client) holds the same body, decisions and resolved threads.
    const raw = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, drafter.token)
    await synced(raw)
    const statuses: string[] = []
    raw.doc.getMap<unknown>('suggestions').forEach((entry) => {
      if (entry instanceof Y.Map) {
        statuses.push(String(entry.get('status')))
      }
    })
    expect(statuses.sort()).toEqual(['accepted', 'accepted', 'rejected'])
    const resolved: unknown[] = []
    raw.doc.getMap<unknown>('comments').forEach((thread) => {
      if (thread instanceof Y.Map) {
        resolved.push(thread.get('resolved'))
        if (String(thread.get('text')).includes('@张伟')) {
          expect(thread.get('mentions')).toEqual([drafter.id])
        }
      }
    })
    expect(resolved).toEqual([true, true])
    expect(raw.doc.getMap<unknown>('meta').get('classification')).not.toBe('秘密')
    expect(raw.doc.getMap<unknown>('meta').get('documentNumber')).toBe('济政办发〔2026〕5号')
    raw.destroy()
    expect(await editorText(d.page)).toContain('切实重视')

    expect(pageErrors).toEqual([])
    for (const user of [d, a, b, r]) {
      await user.context.close()
    }
  })
})
