/** What the web client does when the relay ends access: membership removed, account deactivated, first login. */
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { connect, synced } from '../utils/yclient'
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

describe('access changes', () => {
  const e2e = useE2E()
  let owner: E2EUser

  beforeAll(async () => {
    owner = await e2e.app.createUser('qian.hao', '钱浩')
  })

  test('a member removed while the document is open sees 无权访问该文档 and stops syncing', async () => {
    const member = await e2e.app.createUser('wu.qing', '吴青')
    const documentId = await owner.api.createDocument('关于调整办公用房的请示')
    await owner.api.share(documentId, member.id, 'editor')
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, member.username, member.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')

    const { status } = await owner.api.request(
      'DELETE',
      `/documents/${documentId}/members/${member.id}`,
    )
    expect(status).toBe(204)
    const blocked = page.locator('[data-testid="editor-blocked"][data-reason="forbidden"]')
    await blocked.waitFor({ state: 'visible' })
    expect(await blocked.textContent()).toContain('无权访问该文档')
    // And it does not knock again: no new socket in the next moments.
    let reconnects = 0
    page.on('websocket', () => reconnects++)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(reconnects).toBe(0)
    await context.close()
  })

  test('a user deactivated while editing is sent to the login screen with 账号已被停用', async () => {
    const member = await e2e.app.createUser('zheng.yu', '郑宇')
    const documentId = await owner.api.createDocument('关于做好防汛工作的通知')
    await owner.api.share(documentId, member.id, 'editor')
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, member.username, member.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')

    const { status } = await e2e.app.admin.request(
      'POST',
      `/admin/users/${member.id}/deactivate`,
      {},
    )
    expect(status).toBe(200)
    const notice = page.locator('[data-testid="login-notice"]')
    await notice.waitFor({ state: 'visible' })
    expect(await notice.textContent()).toContain('账号已被停用')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.evaluate(() => localStorage.getItem('qilu:token'))).toBeNull()
    await context.close()
  })

  test('a new account signs in with its activation code and must set a password that meets the policy first', async () => {
    const created = await e2e.app.admin.request<{ id: string; activationCode?: string }>(
      'POST',
      '/admin/users',
      {
        username: 'feng.lan',
        displayName: '冯兰',
      },
    )
    expect(created.status).toBe(201)
    const code = created.body.activationCode ?? ''
    expect(code).not.toBe('')
    const { context, page } = await newUser(e2e.browser)
    await page.goto(`${e2e.app.url}/login`)
    await page.locator('#login-username').fill('feng.lan')
    await page.locator('#login-password').fill(code)
    await page.locator('#login-password').press('Enter')
    await page.locator('#new-password').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/password')
    expect(await page.textContent('body')).toContain('不能包含用户名')

    // A password containing the username is refused with the rule, before any request.
    await page.locator('#old-password').fill(code)
    await page.locator('#new-password').fill('Feng.lan#2026')
    await page.locator('#confirm-password').fill('Feng.lan#2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="password-error"]', { hasText: '不能包含用户名' }).waitFor()
    await screenshot(page, 'set-password')

    await page.locator('#new-password').fill('Qilu#Desk2026')
    await page.locator('#confirm-password').fill('Qilu#Desk2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="user-menu"]').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/')
    await context.close()

    // The new password works from a fresh browser.
    const again = await newUser(e2e.browser)
    await loginThroughUi(again.page, e2e.app.url, 'feng.lan', 'Qilu#Desk2026')
    await again.context.close()
  })

  test('a commenter whose device holds a refused body change is told once, and the next opening syncs cleanly', async () => {
    const reviewer = await e2e.app.createUser('lu.jing', '陆静')
    const documentId = await owner.api.createDocument('关于开展安全生产检查的通知')
    await owner.api.share(documentId, reviewer.id, 'commenter')
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, reviewer.username, reviewer.password)
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    await page.goto(`${e2e.app.url}/documents`)

    // A body edit made on the reviewer's device (say, by an older client) waits in its local copy.
    const drafter = connect(e2e.app.relay.wsUrl, `doc:${documentId}`, owner.token)
    await synced(drafter)
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(drafter.doc))
    drafter.destroy()
    const before = Y.encodeStateVector(forged)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('越权改写的正文')])
    forged.getXmlFragment('body').insert(0, [paragraph])
    await queueForgedUpdate(page, reviewer.id, documentId, Y.encodeStateAsUpdate(forged, before))

    const refusals = (): Promise<number> => auditedRefusals(e2e.app.admin)
    await page.goto(`${e2e.app.url}/documents/${documentId}`)
    // Told in the dialog that offers what to do with the refused change (it is kept aside and the
    // document reopened from the relay's state, where it used to be dropped from the device).
    const notice = page.locator('[data-testid="refused-dialog"][data-kind="update-refused"]')
    await notice.waitFor({ state: 'visible' })
    expect(await notice.textContent()).toContain('超出了权限')
    await eventually(refusals, (n) => n === 1, 'the refusal in the audit log')

    // The refused change is off the device's copy: the next opening syncs and is not refused.
    await page.reload()
    await openDocument(page, e2e.app.url, documentId)
    await waitForSyncState(page, 'saved')
    expect(await page.locator('[data-testid="editor-blocked"]').count()).toBe(0)
    expect(await page.locator('[data-testid="refused-dialog"]').count()).toBe(0)
    expect(await editorText(page)).not.toContain('越权改写的正文')
    expect(await refusals()).toBe(1)
    await context.close()
  })
})
