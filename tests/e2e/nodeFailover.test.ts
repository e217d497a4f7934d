/**
 * A browser whose relay node goes away carries on on another node (issue 23). Two nodes on one
 * PostgreSQL database and Redis, each listing both (QILU_NODES); the web client learns the list
 * from its node's /health. The page is on node B; it goes offline, types, node B stops meanwhile,
 * and when the page is back online its document syncs through node A: a client on A has the edits.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  editorText,
  eventually,
  firstParagraph,
  loginThroughUi,
  newUser,
  openDocument,
  waitForSyncState,
} from '../utils/browser'
import { WEB_ROOT } from '../utils/e2eApp'
import { freePort } from '../utils/process'
import { createTestDatabase, startTestRelay } from '../utils/relay'
import type { TestRelay } from '../utils/relay'
import { connect, waitFor } from '../utils/yclient'
import type { Client } from '../utils/yclient'
import { useE2E } from './setup'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const REDIS_PREFIX = `qilu-e2e-failover-${process.pid}-${Date.now()}`
const database = await createTestDatabase()
const [portA, portB] = [await freePort(), await freePort()]
const NODES = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]

// Registered before useE2E, so it runs after the set-up has closed node A (hooks unwind as a stack).
afterAll(async () => {
  await database.drop()
})

describe('a browser whose node goes away', () => {
  const e2e = useE2E({
    relay: {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisPrefix: REDIS_PREFIX,
      port: portA,
      nodes: NODES,
    },
    allowConsole: [
      {
        text: /ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/,
        reason: 'the page’s own node is stopped, and the page is offline for a while, on purpose',
      },
    ],
  })
  let nodeB: TestRelay | null = null
  let checker: Client | null = null

  beforeAll(async () => {
    nodeB = await startTestRelay({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisPrefix: REDIS_PREFIX,
      webRoot: WEB_ROOT,
      port: portB,
      nodes: NODES,
    })
  })

  afterAll(async () => {
    checker?.destroy()
    await nodeB?.close()
  })

  test('reconnects to another node, and what was typed offline reaches it', async () => {
    const b = nodeB
    if (b === null) {
      throw new Error('node B did not start')
    }
    const alice = await e2e.app.createUser('zhao.min', '赵敏')
    const bob = await e2e.app.createUser('qian.lei', '钱磊')
    const documentId = await alice.api.createDocument('关于节点切换的通知')
    await alice.api.share(documentId, bob.id, 'editor')

    const { context, page } = await newUser(e2e.browser)
    const sockets: string[] = []
    page.on('websocket', (socket) => sockets.push(socket.url()))
    await loginThroughUi(page, b.url, alice.username, alice.password)
    // The page learned the deployment's nodes from node B's /health.
    await eventually(
      () => page.evaluate(() => localStorage.getItem('qilu:nodes')),
      (stored) => stored === JSON.stringify(NODES),
      'the page to remember both nodes',
    )
    await openDocument(page, b.url, documentId)
    await waitForSyncState(page, 'saved')
    await firstParagraph(page).click()
    await page.keyboard.type('在线输入；', { delay: 10 })
    await waitForSyncState(page, 'saved')

    // A colleague's client on node A, to see what arrives there.
    checker = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, bob.token)
    const body = (): string => checker?.doc.getXmlFragment('body').toString() ?? ''
    await waitFor(() => body().includes('在线输入；'), 'node A to have the online edit', 10_000)

    await context.setOffline(true)
    await waitForSyncState(page, 'offline')
    await page.keyboard.type('离线一；离线二；', { delay: 10 })
    // The page's node stops while the page is offline.
    await b.close()
    nodeB = null
    await context.setOffline(false)

    await waitFor(
      () => body().includes('离线一；离线二；'),
      'the offline edits to reach node A',
      20_000,
    )
    await waitForSyncState(page, 'saved', 20_000)
    expect(await editorText(page)).toBe('在线输入；离线一；离线二；')
    expect(sockets.some((url) => new URL(url).port === String(portA))).toBe(true)
    await context.close()
  })
})
