/**
 * Two editors on two relay nodes (one PostgreSQL database, one Redis, no sticky sessions): each
 * browser talks only to its own node, and they co-edit one document through the real web client.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import {
  editorText,
  eventually,
  firstParagraph,
  loginThroughUi,
  newUser,
  openDocument,
  screenshot,
  waitForSyncState,
} from '../utils/browser'
import { WEB_ROOT } from '../utils/e2eApp'
import type { E2EUser } from '../utils/e2eApp'
import { createTestDatabase, startTestRelay } from '../utils/relay'
import type { TestRelay } from '../utils/relay'
import { useE2E } from './setup'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const REDIS_PREFIX = `qilu-e2e-${process.pid}-${Date.now()}`
const database = await createTestDatabase()

// Registered before useE2E, so it runs after the set-up has closed node A (hooks unwind as a stack).
afterAll(async () => {
  await database.drop()
})

describe('two editors on two relay nodes', () => {
  const e2e = useE2E({
    relay: { databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix: REDIS_PREFIX },
  })
  let nodeB: TestRelay
  let alice: E2EUser
  let bob: E2EUser

  beforeAll(async () => {
    nodeB = await startTestRelay({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisPrefix: REDIS_PREFIX,
      webRoot: WEB_ROOT,
    })
    alice = await e2e.app.createUser('zhang.wei', '张伟')
    bob = await e2e.app.createUser('li.na', '李娜')
  })

  afterAll(async () => {
    await nodeB?.close()
  })

  test('each browser on its own node: both type into one paragraph, converge, and see each other’s named carets', async () => {
    expect(nodeB.url).not.toBe(e2e.app.url)
    const documentId = await alice.api.createDocument('关于跨节点协同编辑的通知')
    await alice.api.share(documentId, bob.id, 'editor')

    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    const nodeOf = new Map<Page, string>([
      [a.page, e2e.app.url],
      [b.page, nodeB.url],
    ])
    // Nothing either page asks for may go to the other node.
    const strays: string[] = []
    for (const [page, base] of nodeOf) {
      const watch = (url: string): void => {
        if (/^(http|ws)s?:/.test(url) && new URL(url).port !== new URL(base).port) {
          strays.push(url)
        }
      }
      page.on('request', (request) => watch(request.url()))
      page.on('websocket', (socket) => watch(socket.url()))
    }
    await loginThroughUi(a.page, e2e.app.url, alice.username, alice.password)
    await loginThroughUi(b.page, nodeB.url, bob.username, bob.password)
    await openDocument(a.page, e2e.app.url, documentId)
    await openDocument(b.page, nodeB.url, documentId)
    await Promise.all([waitForSyncState(a.page, 'saved'), waitForSyncState(b.page, 'saved')])

    const opening = '现将有关事项通知如下：'
    await firstParagraph(a.page).click()
    await a.page.keyboard.type(opening, { delay: 10 })
    await eventually(
      () => editorText(b.page),
      (text) => text === opening,
      'B (node B) to see what A typed on node A',
    )
    await firstParagraph(b.page).click()
    await b.page.keyboard.press('End')
    const typeAll = async (page: Page, parts: string[]): Promise<void> => {
      for (const part of parts) {
        await page.keyboard.type(part, { delay: 15 })
      }
    }
    const typedByA = ['济南一 ', '济南二 ']
    const typedByB = ['青岛一 ', '青岛二 ']
    await Promise.all([typeAll(a.page, typedByA), typeAll(b.page, typedByB)])

    const everything = [opening, ...typedByA, ...typedByB].map((s) => s.trim())
    // Both pages read together until they hold every typed string and the same text: a snapshot of
    // A alone could be taken before B's last keystroke (a trailing space) had reached it.
    const [textA] = await eventually(
      async () => [await editorText(a.page), await editorText(b.page)] as const,
      ([inA, inB]) => inA === inB && everything.every((part) => inA.includes(part)),
      'A and B to hold every typed string and converge',
    )
    await a.page
      .locator('.collaboration-carets__label', { hasText: '李娜' })
      .waitFor({ state: 'visible' })
    await b.page
      .locator('.collaboration-carets__label', { hasText: '张伟' })
      .waitFor({ state: 'visible' })
    await Promise.all([waitForSyncState(a.page, 'saved'), waitForSyncState(b.page, 'saved')])
    await screenshot(a.page, 'multinode-a-node-a')
    await screenshot(b.page, 'multinode-b-node-b')

    expect(strays).toEqual([])
    for (const user of [a, b]) {
      await user.context.close()
    }

    // What both saw is stored once for all nodes: a fresh profile (no local copy) on node B has it.
    const fresh = await newUser(e2e.browser)
    await loginThroughUi(fresh.page, nodeB.url, alice.username, alice.password)
    await openDocument(fresh.page, nodeB.url, documentId)
    await waitForSyncState(fresh.page, 'saved')
    expect(await editorText(fresh.page)).toBe(textA)
    await fresh.context.close()
  })
})
