/** Two editors and a reader on one document, through the real web client and relay. */
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { Page } from 'playwright-core'
import {
  editorBody,
  editorText,
  firstParagraph,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { connect, synced } from '../utils/yclient'
import { useE2E } from './setup'

describe('collaborative editing', () => {
  const e2e = useE2E()
  let alice: E2EUser
  let bob: E2EUser
  let carol: E2EUser

  beforeAll(async () => {
    alice = await e2e.app.createUser('zhang.wei', '张伟')
    bob = await e2e.app.createUser('li.na', '李娜')
    carol = await e2e.app.createUser('zhao.min', '赵敏')
  })

  test('two editors typing into one paragraph at once converge, see each other’s named carets, and a reader sees it live but cannot change it', async () => {
    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    const c = await newUser(e2e.browser)
    await Promise.all([
      loginThroughUi(a.page, e2e.app.url, alice.username, alice.password),
      loginThroughUi(b.page, e2e.app.url, bob.username, bob.password),
      loginThroughUi(c.page, e2e.app.url, carol.username, carol.password),
    ])

    // A creates the document through the UI.
    await a.page.locator('[data-testid="nav-documents"]').click()
    await a.page.locator('[data-testid="documents-empty"]').waitFor()
    await a.page.locator('[data-testid="new-document"]').click()
    await a.page.locator('#new-document-title').fill('关于做好春节期间值班工作的通知')
    await a.page.locator('#new-document-title').press('Enter')
    await editorBody(a.page).waitFor()
    const documentId = new URL(a.page.url()).pathname.split('/').pop() ?? ''
    expect(documentId).not.toBe('')
    expect(await a.page.locator('[data-testid="document-title"]').textContent()).toContain(
      '值班工作',
    )

    // A adds B as editor through the members panel; C is added as reader through the API.
    await a.page.locator('[data-testid="open-members"]').click()
    await a.page.locator('#member-search').fill('li.na')
    await a.page.locator(`[data-testid="add-member-${bob.username}"]`).click()
    await a.page.locator(`[data-testid="member-${bob.username}"]`).waitFor()
    await a.page.keyboard.press('Escape')
    await alice.api.share(documentId, carol.id, 'reader')

    await openDocument(b.page, e2e.app.url, documentId)
    await openDocument(c.page, e2e.app.url, documentId)
    await Promise.all([waitForSyncState(a.page, 'saved'), waitForSyncState(b.page, 'saved')])
    expect(await c.page.locator('[data-testid="readonly-tag"]').textContent()).toContain('只读')
    expect(await editorBody(c.page).getAttribute('contenteditable')).toBe('false')

    // A writes the opening words; then both put the caret at the end of that same paragraph and
    // type at the same time. (Two people typing the very first character of an empty paragraph
    // within ~20 ms can still race inside ProseMirror's DOM observer; see renderer/README.md.)
    const opening = '现将有关事项通知如下：'
    await firstParagraph(a.page).click()
    await a.page.keyboard.type(opening, { delay: 10 })
    await eventually(
      () => editorText(b.page),
      (text) => text === opening,
      'B to see the opening words',
    )
    await firstParagraph(b.page).click()
    await b.page.keyboard.press('End')
    const typedByA = ['Alpha one ', 'Alpha two ', '甲方意见']
    const typedByB = ['Bravo one ', 'Bravo two ', '乙方意见']
    const typeAll = async (page: Page, parts: string[]): Promise<void> => {
      for (const part of parts) {
        await page.keyboard.type(part, { delay: 15 })
      }
    }
    await Promise.all([typeAll(a.page, typedByA), typeAll(b.page, typedByB)])

    const everything = [opening, ...typedByA, ...typedByB].map((s) => s.trim())
    const hasAll = (text: string): boolean => everything.every((part) => text.includes(part))
    const textA = await eventually(() => editorText(a.page), hasAll, 'A to see every typed string')
    await eventually(
      () => editorText(b.page),
      (text) => text === textA,
      'B to converge with A',
    )
    expect(await a.page.locator('[data-testid="editor"] .ProseMirror p').count()).toBe(1)

    // Each editor shows the other's caret with the other's name.
    await a.page
      .locator('.collaboration-carets__label', { hasText: '李娜' })
      .waitFor({ state: 'visible' })
    await b.page
      .locator('.collaboration-carets__label', { hasText: '张伟' })
      .waitFor({ state: 'visible' })
    await Promise.all([waitForSyncState(a.page, 'saved'), waitForSyncState(b.page, 'saved')])
    await screenshot(a.page, 'editor-two-users-a')
    await screenshot(b.page, 'editor-two-users-b')

    // The reader sees the text live, and more as A keeps typing.
    await eventually(
      () => editorText(c.page),
      (text) => text === textA,
      'C to see the text',
    )
    await a.page.keyboard.type(' 实时', { delay: 10 })
    await eventually(
      () => editorText(c.page),
      (text) => text.includes('实时'),
      'C to see A’s new words live',
    )
    await screenshot(c.page, 'editor-reader')

    // The reader forces the editor open and types: nothing may reach A, B or the relay.
    await c.page.evaluate(() => {
      document
        .querySelector('[data-testid="editor"] .ProseMirror')
        ?.setAttribute('contenteditable', 'true')
    })
    await firstParagraph(c.page).click()
    await c.page.keyboard.type('READERHACK', { delay: 5 })
    // And through a raw y-websocket client with the reader's own token.
    const raw = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, carol.token)
    await synced(raw)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('RAWHACK')])
    raw.doc.getXmlFragment('body').insert(0, [paragraph])
    await new Promise((resolve) => setTimeout(resolve, 1000))
    raw.destroy()

    const finalA = await editorText(a.page)
    expect(finalA).not.toContain('HACK')
    expect(await editorText(b.page)).toBe(finalA)

    // A fresh profile (no local copy) gets the document from the relay alone.
    const fresh = await newUser(e2e.browser)
    await loginThroughUi(fresh.page, e2e.app.url, alice.username, alice.password)
    await openDocument(fresh.page, e2e.app.url, documentId)
    await waitForSyncState(fresh.page, 'saved')
    const fromServer = await editorText(fresh.page)
    expect(fromServer).toBe(finalA)
    expect(fromServer).not.toContain('HACK')

    for (const user of [a, b, c, fresh]) {
      await user.context.close()
    }
  })
})
