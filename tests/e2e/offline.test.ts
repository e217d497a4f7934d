/** Editing without a network: the local copy, the status chip, reloads, and catching up. */
import { beforeAll, describe, expect, test } from 'vitest'
import {
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
import { useE2E } from './setup'

describe('offline editing', () => {
  const e2e = useE2E({
    allowConsole: [
      {
        text: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        reason:
          'the test takes the browser offline on purpose; the app asks the relay and falls back to ' +
          'its local copies when the request fails',
      },
    ],
  })
  let alice: E2EUser
  let bob: E2EUser

  beforeAll(async () => {
    alice = await e2e.app.createUser('sun.li', '孙丽')
    bob = await e2e.app.createUser('zhou.jie', '周杰')
  })

  test('an editor who goes offline keeps typing, sees 离线, keeps the draft across a reload, and loses no keystroke on reconnect', async () => {
    const documentId = await alice.api.createDocument('关于召开季度工作会议的通知')
    await alice.api.share(documentId, bob.id, 'editor')
    const a = await newUser(e2e.browser)
    const b = await newUser(e2e.browser)
    await Promise.all([
      loginThroughUi(a.page, e2e.app.url, alice.username, alice.password),
      loginThroughUi(b.page, e2e.app.url, bob.username, bob.password),
    ])
    await openDocument(a.page, e2e.app.url, documentId)
    await waitForSyncState(a.page, 'saved')
    await firstParagraph(a.page).click()
    await a.page.keyboard.type('会议定于下周一召开。', { delay: 10 })
    await openDocument(b.page, e2e.app.url, documentId)
    await waitForSyncState(b.page, 'saved')
    await eventually(
      () => editorText(b.page),
      (text) => text.includes('下周一'),
      'B to load the text',
    )
    // The service worker has cached the app shell by now. `ready` resolves with a worker that may
    // still be activating (on a busy machine): wait for its activation to finish.
    const worker = await b.page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then((registration) => {
          const active = registration.active
          if (active === null || active.state === 'activated') {
            return active?.state ?? 'none'
          }
          return new Promise<string>((resolve) => {
            active.addEventListener('statechange', () => {
              if (active.state !== 'activating') {
                resolve(active.state)
              }
            })
          })
        }),
        new Promise<string>((resolve) => setTimeout(() => resolve('not ready after 10 s'), 10_000)),
      ]),
    )
    expect(worker).toBe('activated')

    await b.context.setOffline(true)
    await waitForSyncState(b.page, 'offline', 5000)
    expect(await b.page.locator('[data-testid="sync-status"]').textContent()).toContain('离线')

    // Both keep typing in the same paragraph: B offline, A online.
    await firstParagraph(b.page).click()
    await b.page.keyboard.press('End')
    await firstParagraph(a.page).click()
    await a.page.keyboard.press('End')
    const offlineParts = [' 乙方离线一', ' offline-two', ' 乙方离线三']
    const onlineParts = [' 甲方在线一', ' online-two']
    await Promise.all([
      (async () => {
        for (const part of offlineParts) {
          await b.page.keyboard.type(part, { delay: 20 })
        }
      })(),
      (async () => {
        for (const part of onlineParts) {
          await a.page.keyboard.type(part, { delay: 20 })
        }
      })(),
    ])
    // Nothing of B's reaches A while B is offline.
    expect(await editorText(a.page)).not.toContain('乙方离线')
    await waitForSyncState(a.page, 'saved')

    // A reload while offline comes from the service worker and shows the local draft.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const reloaded = await b.page.reload()
    expect(reloaded?.fromServiceWorker()).toBe(true)
    await editorBody(b.page).waitFor({ state: 'visible' })
    const draft = await editorText(b.page)
    for (const part of offlineParts) {
      expect(draft).toContain(part.trim())
    }
    await waitForSyncState(b.page, 'offline')
    await b.page.locator('[data-testid="offline-banner"]').waitFor({ state: 'visible' })
    await firstParagraph(b.page).click()
    await b.page.keyboard.press('End')
    await b.page.keyboard.type(' 重载后', { delay: 20 })
    await screenshot(b.page, 'editor-offline-after-reload')

    // Back online: both converge on every keystroke of both.
    await b.context.setOffline(false)
    await waitForSyncState(b.page, 'saved', 15_000)
    const expected = ['会议定于下周一召开。', ...offlineParts, ...onlineParts, ' 重载后'].map(
      (part) => part.trim(),
    )
    const finalB = await eventually(
      () => editorText(b.page),
      (text) => expected.every((part) => text.includes(part)),
      'B to hold every keystroke',
    )
    await eventually(
      () => editorText(a.page),
      (text) => text === finalB,
      'A to converge with B',
    )
    await waitForSyncState(a.page, 'saved')
    expect(await b.page.locator('[data-testid="offline-banner"]').count()).toBe(0)

    await a.context.close()
    await b.context.close()
  })
})
