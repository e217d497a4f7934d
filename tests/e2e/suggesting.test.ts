/**
 * 修订 by typing, end to end: a reviewer with the commenter role types a sentence and deletes a
 * word straight in the body; both show inline as suggestions in the reviewer's colour for the
 * drafter in a second browser, who accepts one and rejects the other; a raw body update from the
 * same reviewer is still refused by the relay and audited. An editor who switches 修订 on types
 * suggestions the same way.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { Page } from 'playwright-core'
import {
  bodyBlocks,
  editorBody,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  selectText,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import type { ApiAuditEntry } from '../../shared/api'
import { closed, connect, rawSocket, synced } from '../utils/yclient'
import { CloseEvents } from '../../shared/protocol/closeEvents'
import { colorFor } from '../../shared/domain/userColor'
import { useE2E } from './setup'

const FIRST = '各单位要高度重视节日期间值班工作。'
const SECOND = '严格落实领导带班和二十四小时值班制度。'
/** What the reviewer types at the end of the first paragraph: Latin keys, then Chinese input. */
const TYPED_KEYS = 'A1 '
const TYPED_CHINESE = '请于本周五前报送值班表。'

/** The suggestions drawn in the body: kind, text and the colour they are drawn in. */
async function drawn(page: Page): Promise<{ kind: string; text: string; color: string }[]> {
  return editorBody(page).evaluate((root) =>
    [...root.querySelectorAll('.gw-suggest-insert, .gw-suggest-delete')].map((element) => ({
      kind: element.classList.contains('gw-suggest-insert') ? 'insert' : 'delete',
      text: element.textContent ?? '',
      color: getComputedStyle(element).color,
    })),
  )
}

/** `#rrggbb` as the computed style writes it. */
function rgb(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16)
  return `rgb(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255})`
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

describe('修订 by typing', () => {
  const e2e = useE2E()
  let drafter: E2EUser
  let reviewer: E2EUser
  let editor: E2EUser

  /** A document of the drafter whose body holds the two paragraphs, written by the server. */
  async function seededDocument(title: string): Promise<string> {
    const documentId = await drafter.api.createDocument(title)
    await e2e.app.relay.relay.rooms.apply(`doc:${documentId}`, (doc) => {
      const body = doc.getXmlFragment('body')
      for (const text of [FIRST, SECOND]) {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(text)])
        body.insert(body.length, [paragraph])
      }
    })
    return documentId
  }

  /** The relay's audited refusals of updates to the document: who sent them and why. */
  async function refusals(
    documentId: string,
  ): Promise<{ actor: string | null; reason: unknown }[]> {
    const { body } = await e2e.app.admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      '/admin/audit?action=document.update_refused&limit=50',
    )
    return body.entries
      .filter((entry) => entry.target === documentId)
      .map((entry) => ({ actor: entry.actorId, reason: entry.detail.reason }))
  }

  beforeAll(async () => {
    drafter = await e2e.app.createUser('sun.li', '孙丽')
    reviewer = await e2e.app.createUser('zhou.jie', '周杰')
    editor = await e2e.app.createUser('he.ping', '何平')
  })

  test('a commenter types and deletes in the body; the drafter accepts one suggestion and rejects the other; a raw body update is still refused', async () => {
    const documentId = await seededDocument('关于做好节日期间值班工作的通知')
    await drafter.api.share(documentId, reviewer.id, 'commenter')
    const r = await newUser(e2e.browser)
    const d = await newUser(e2e.browser)
    await Promise.all([
      loginThroughUi(r.page, e2e.app.url, reviewer.username, reviewer.password),
      loginThroughUi(d.page, e2e.app.url, drafter.username, drafter.password),
    ])
    await Promise.all([
      openDocument(r.page, e2e.app.url, documentId),
      openDocument(d.page, e2e.app.url, documentId),
    ])
    await eventually(
      () => bodyBlocks(r.page),
      (blocks) => blocks.includes(FIRST),
      'the body at the reviewer',
    )
    await r.page.locator('[data-testid="review-note"]').waitFor()

    // The reviewer types a sentence at the end of the first paragraph: keys, then Chinese input.
    await selectText(r.page, FIRST, true)
    await r.page.keyboard.type(TYPED_KEYS, { delay: 20 })
    await r.page.keyboard.insertText(TYPED_CHINESE)
    // The caret stays after what was typed, as in Word: the next key goes on at its end.
    await eventually(
      () =>
        r.page.evaluate(() => {
          const widget = document.querySelector('.ProseMirror .gw-suggest-insert')
          const selection = window.getSelection()
          if (widget === null || selection === null || selection.rangeCount === 0) {
            return null
          }
          const afterWidget = document.createRange()
          afterWidget.setStartAfter(widget)
          const caret = selection.getRangeAt(0)
          return {
            typed: widget.textContent,
            after: caret.compareBoundaryPoints(Range.START_TO_START, afterWidget) >= 0,
          }
        }),
      (state) => state?.typed === `${TYPED_KEYS}${TYPED_CHINESE}` && state.after,
      'the caret after the typed text',
    )
    // ... and deletes 二十四小时 with Backspace, one character at a time, from after it.
    await selectText(r.page, '二十四小时', true)
    for (let i = 0; i < '二十四小时'.length; i++) {
      await r.page.keyboard.press('Backspace')
    }
    const sentence = `${TYPED_KEYS}${TYPED_CHINESE}`
    const color = rgb(colorFor(reviewer.id))
    // Typing on extended one suggestion, deleting on extended the other: two in all, inline.
    await eventually(
      () => drawn(r.page),
      (marks) =>
        marks.length === 2 &&
        marks.some((m) => m.kind === 'insert' && m.text === sentence) &&
        marks.some((m) => m.kind === 'delete' && m.text === '二十四小时'),
      'the two suggestions inline at the reviewer',
    )
    await r.page.locator('[data-testid="tab-suggestions"]').click()
    await eventually(
      () => r.page.locator('[data-testid="suggestion"]').count(),
      (count) => count === 2,
      'two suggestions listed at the reviewer',
    )
    // The body itself is untouched, and the caret went on typing where it was.
    expect(await bodyBlocks(r.page)).toEqual([FIRST, SECOND])
    await waitForSyncState(r.page, 'saved')
    await screenshot(r.page, 'suggesting-reviewer')

    // The drafter, in the second browser, sees both inline in the reviewer's colour.
    await d.page.locator('[data-testid="tab-suggestions"]').click()
    const atDrafter = await eventually(
      () => drawn(d.page),
      // Saved at the relay is not yet drawn here: wait for the last keystrokes to arrive too.
      (marks) =>
        marks.length === 2 &&
        marks.some((m) => m.kind === 'insert' && m.text === sentence) &&
        marks.some((m) => m.kind === 'delete' && m.text === '二十四小时'),
      "both suggestions in the reviewer's colour at the drafter",
    )
    expect(atDrafter).toEqual(
      expect.arrayContaining([
        { kind: 'insert', text: sentence, color },
        { kind: 'delete', text: '二十四小时', color },
      ]),
    )
    const cards = d.page.locator('[data-testid="suggestion"]')
    expect(await cards.count()).toBe(2)
    expect(await cards.first().textContent()).toContain('周杰')
    expect(await bodyBlocks(d.page)).toEqual([FIRST, SECOND])
    await screenshot(d.page, 'suggesting-drafter')

    // Accepts the typed sentence: the body now holds it.
    await d.page
      .locator('[data-testid="suggestion"][data-kind="insert"] [data-testid="accept-suggestion"]')
      .click()
    await eventually(
      () => bodyBlocks(d.page),
      (blocks) => JSON.stringify(blocks) === JSON.stringify([`${FIRST}${sentence}`, SECOND]),
      'the accepted sentence in the body',
    )
    // Rejects the deletion: 二十四小时 stays, and nothing is drawn over it any more.
    await d.page
      .locator('[data-testid="suggestion"][data-kind="delete"] [data-testid="reject-suggestion"]')
      .click()
    await eventually(
      () => drawn(d.page),
      (marks) => marks.length === 0,
      'no open suggestion',
    )
    expect(await bodyBlocks(d.page)).toEqual([`${FIRST}${sentence}`, SECOND])
    await waitForSyncState(d.page, 'saved')
    await screenshot(d.page, 'suggesting-decided')
    await eventually(
      () => bodyBlocks(r.page),
      (blocks) => JSON.stringify(blocks) === JSON.stringify([`${FIRST}${sentence}`, SECOND]),
      'the decided body at the reviewer',
    )

    // The relay's rule stays: a raw body update from the same reviewer is refused and audited.
    const before = await refusals(documentId)
    const own = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, reviewer.token)
    await synced(own)
    const socket = await rawSocket(
      `${e2e.app.relay.wsUrl}/doc:${documentId}?token=${reviewer.token}`,
    )
    const code = closed(socket)
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(own.doc))
    own.destroy()
    const vector = Y.encodeStateVector(forged)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('评论人直接改写的正文')])
    forged.getXmlFragment('body').insert(0, [paragraph])
    socket.send(updateMessage(Y.encodeStateAsUpdate(forged, vector)))
    expect(await code).toBe(CloseEvents.updateRefused.code)
    const audited = await eventually(
      () => refusals(documentId),
      (rows) => rows.length === before.length + 1,
      'the refusal in the audit log',
    )
    expect(audited.at(-1)?.actor).toBe(reviewer.id)
    expect(audited.at(-1)?.reason).toBeTruthy()
    expect(await bodyBlocks(d.page)).toEqual([`${FIRST}${sentence}`, SECOND])
    const check = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, drafter.token)
    await synced(check)
    expect(check.doc.getXmlFragment('body').toString()).not.toContain('评论人直接改写')
    check.destroy()

    await r.context.close()
    await d.context.close()
  })

  test('an editor who switches 修订 on types suggestions instead of changing the body', async () => {
    const documentId = await seededDocument('关于开展节前安全检查的通知')
    await drafter.api.share(documentId, editor.id, 'editor')
    const page = (await newUser(e2e.browser)).page
    await loginThroughUi(page, e2e.app.url, editor.username, editor.password)
    await openDocument(page, e2e.app.url, documentId)
    await eventually(
      () => bodyBlocks(page),
      (b) => b.includes(FIRST),
      'the body at the editor',
    )

    const toggle = page.locator('[data-testid="track-changes"]')
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    await page.locator('[data-testid="review-note"]').waitFor()
    await selectText(page, '领导带班')
    await page.keyboard.insertText('主要领导')
    await eventually(
      () => drawn(page),
      (marks) =>
        marks.length === 2 &&
        marks.some((m) => m.kind === 'delete' && m.text === '领导带班') &&
        marks.some((m) => m.kind === 'insert' && m.text === '主要领导'),
      'a replacement suggestion at the editor',
    )
    // An input method composes in the suggestion box under the caret (the body keeps no draft
    // text), and what it commits goes on the same replacement.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      windowsVirtualKeyCode: 229,
      key: 'Process',
      code: 'KeyT',
    })
    const box = page.locator('[data-testid="suggestion-composer"][data-open="true"]')
    await box.waitFor()
    await cdp.send('Input.imeSetComposition', {
      text: 'tongzhi',
      selectionStart: 7,
      selectionEnd: 7,
    })
    expect(await page.locator('[data-testid="suggestion-input"]').inputValue()).toBe('tongzhi')
    await screenshot(page, 'suggesting-ime')
    await cdp.send('Input.insertText', { text: '同志' })
    await box.waitFor({ state: 'detached' })
    await eventually(
      () => drawn(page),
      (marks) => marks.some((m) => m.kind === 'insert' && m.text === '主要领导同志'),
      'the committed text on the replacement',
    )
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror')),
    ).toBe(true)
    expect(await bodyBlocks(page)).toEqual([FIRST, SECOND])
    await page.locator('[data-testid="tab-suggestions"]').click()
    await page.locator('[data-testid="suggestion"][data-kind="replace"]').waitFor()
    await screenshot(page, 'suggesting-editor')

    // Switched off again, typing edits the body as before.
    await toggle.click()
    await selectText(page, FIRST, true)
    await page.keyboard.insertText('（完）')
    await eventually(
      () => bodyBlocks(page),
      (blocks) => blocks[0] === `${FIRST}（完）`,
      'a direct edit once 修订 is off',
    )
    // 全部接受 applies every open suggestion after a confirmation.
    await page.locator('[data-testid="accept-all"]').click()
    const confirm = page.locator('.el-message-box', { hasText: '全部 1 条' })
    await confirm.locator('button', { hasText: '确定' }).click()
    await eventually(
      () => bodyBlocks(page),
      (blocks) => blocks[1] === '严格落实主要领导同志和二十四小时值班制度。',
      'the replacement accepted with 全部接受',
    )
    expect(await drawn(page)).toEqual([])
    await waitForSyncState(page, 'saved')
    await page.context().close()
  })
})
