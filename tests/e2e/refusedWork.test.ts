/**
 * A commenter's body edit refused by the relay is neither lost nor resent in a loop: the client
 * keeps it aside, reopens the document from the relay's state, and offers 导出 and 作为修订建议提交.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connect, synced, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import {
  editorText,
  eventually,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import type { E2EUser } from '../utils/e2eApp'
import { auditedRefusals, queueForgedUpdate } from '../utils/forgedQueue'
import { useE2E } from './setup'

const SENTENCE = '各单位要高度重视安全生产工作。'
const ADDED = '并于本月底前完成自查。'

describe('refused local changes', () => {
  const e2e = useE2E()
  let owner: E2EUser
  const clients: Client[] = []

  beforeAll(async () => {
    owner = await e2e.app.createUser('zhou.min', '周敏')
  })

  afterAll(async () => {
    clients.forEach((client) => client.destroy())
  })

  test('a refused body edit is offered for export and as suggestions, and never resent', async () => {
    const reviewer = await e2e.app.createUser('he.ping', '何平')
    const documentId = await owner.api.createDocument('关于开展安全生产大检查的通知')
    await owner.api.share(documentId, reviewer.id, 'commenter')
    const drafter = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, owner.token)
    clients.push(drafter)
    await synced(drafter)
    drafter.doc.transact(() => {
      const body = drafter.doc.getXmlFragment('body')
      body.delete(0, body.length)
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(SENTENCE)])
      body.insert(0, [paragraph])
    })

    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, reviewer.username, reviewer.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    await eventually(
      () => editorText(page),
      (text) => text.includes(SENTENCE),
      'the body',
    )
    await page.goto(`${e2e.app.url}/documents`)

    // The reviewer's device holds an edit of the body itself (say, from an older client).
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(drafter.doc))
    const before = Y.encodeStateVector(forged)
    const paragraph = forged.getXmlFragment('body').get(0)
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
    if (!(text instanceof Y.XmlText)) {
      throw new Error('no paragraph text')
    }
    text.insert(text.length, ADDED)
    await queueForgedUpdate(page, reviewer.id, documentId, Y.encodeStateAsUpdate(forged, before))

    const refusals = (): Promise<number> => auditedRefusals(e2e.app.admin)
    const before1 = await refusals()
    let sockets = 0
    page.on('websocket', (socket) => {
      if (socket.url().includes(documentId)) {
        sockets++
      }
    })
    await page.goto(`${e2e.app.url}/documents/${documentId}`)
    const dialog = page.locator('[data-testid="refused-dialog"]')
    await dialog.waitFor({ state: 'visible' })
    expect(await dialog.textContent()).toContain('超出了权限')
    await page.locator('[data-testid="refused-export"]').waitFor({ state: 'visible' })
    const suggest = page.locator('[data-testid="refused-suggest"]')
    await suggest.waitFor({ state: 'visible' })
    await screenshot(page, 'refused-work-dialog')

    // The refused opening, then one reopening from the relay's state; no further socket to the
    // document and no second refusal.
    await waitForSyncState(page, 'saved')
    await new Promise((resolve) => setTimeout(resolve, 3000))
    expect(sockets).toBe(2)
    expect(await refusals()).toBe(before1 + 1)
    expect(await editorText(page)).not.toContain(ADDED)

    // 导出: the refused text as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="refused-export"]').click(),
    ])
    const file = await download.path()
    expect(fs.readFileSync(file, 'utf8')).toContain(`${SENTENCE}${ADDED}`)

    // 作为修订建议提交: the drafter receives it as a suggestion in the reviewer's name.
    await suggest.click()
    await waitFor(
      () =>
        [...drafter.doc.getMap('suggestions').values()].some(
          (entry) =>
            entry instanceof Y.Map &&
            entry.get('authorId') === reviewer.id &&
            String(entry.get('text')).includes(ADDED),
        ),
      'the suggestion at the drafter',
      10_000,
    )
    await dialog.waitFor({ state: 'hidden' })
    expect(await refusals()).toBe(before1 + 1)

    // Nothing is offered again at the next opening, and it syncs cleanly.
    await page.reload()
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    expect(await page.locator('[data-testid="refused-dialog"]:visible').count()).toBe(0)
    expect(await page.locator('[data-testid="refused-banner"]').count()).toBe(0)
    // The added words show only as the pending suggestion; the body itself is the relay's.
    expect(await refusals()).toBe(before1 + 1)
    expect(drafter.doc.getXmlFragment('body').toString()).not.toContain(ADDED)
    await context.close()
  })
})
