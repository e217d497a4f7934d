/**
 * Issue 3 acceptance in Chromium: an admin builds 省 → 市 → 县, imports 1,000 accounts of which 20
 * are invalid, takes the activation codes; a newcomer signs in with one, sets a password and finds
 * a colleague in 通讯录 by pinyin initials.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import type { ApiAccount, ApiUnit } from '../../shared/api'
import { ADMIN_PASSWORD, USER_PASSWORD } from '../utils/relay'
import {
  SCREENSHOT_DIR,
  loginThroughUi,
  newUser,
  pickInTreeSelect,
  screenshot,
} from '../utils/browser'
import { useE2E } from './setup'

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴']
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇']

interface ImportFixture {
  readonly csv: string
  /** Row number (header = 1) → username of each invalid row. */
  readonly badRows: Map<number, string>
}

/** 1,000 accounts in 历下区 (even rows) and 市中区 (odd rows); every 50th row from the 8th is wrong. */
function importFixture(): ImportFixture {
  const lines = ['用户名,姓名,单位代码,职务,角色,手机']
  const badRows = new Map<number, string>()
  for (let i = 0; i < 1000; i++) {
    let username = `u${String(i).padStart(4, '0')}`
    let unitCode = i % 2 === 0 ? 'lx' : 'sz'
    let phone = `1380000${String(i).padStart(4, '0')}`
    let name = `${SURNAMES[i % 10]}${GIVEN[Math.floor(i / 10) % 10]}`
    if (i % 50 === 7) {
      const kind = Math.floor(i / 50) % 4
      if (kind === 0) unitCode = 'nowhere'
      if (kind === 1) username = `bad name ${i}`
      if (kind === 2) phone = 'call me'
      if (kind === 3) name = ''
      badRows.set(i + 2, username)
    }
    lines.push([username, name, unitCode, '科员', '拟稿人', phone].join(','))
  }
  return { csv: `${lines.join('\r\n')}\r\n`, badRows }
}

/** @returns the rows of a downloaded CSV (BOM and quotes removed; the fixture has no commas in cells). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')))
}

async function download(page: Page, trigger: Locator): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger.click()])
  const saved = await file.path()
  return fs.readFileSync(saved, 'utf8')
}

/** Creates a unit through the 组织机构 dialog, which is open and focused on the name. */
async function fillUnitDialog(page: Page, kind: string, name: string, code: string): Promise<void> {
  const dialog = page.locator('[data-testid="unit-create-dialog"]')
  await dialog.locator('#unit-new-name').waitFor({ state: 'visible' })
  await dialog.locator('[data-testid="unit-kind"]').getByText(kind, { exact: true }).click()
  await dialog.locator('#unit-new-name').fill(name)
  await dialog.locator('#unit-new-code').fill(code)
  // Enter submits the form.
  await dialog.locator('#unit-new-code').press('Enter')
  await page.locator(`[data-testid="unit-tree"] [data-unit-code="${code}"]`).waitFor()
  await dialog.waitFor({ state: 'hidden' })
}

async function selectUnit(page: Page, code: string): Promise<void> {
  await page.locator(`[data-testid="unit-tree"] [data-unit-code="${code}"]`).click()
}

describe('administration end to end', () => {
  const e2e = useE2E({
    allowConsole: [
      {
        text: /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/,
        reason:
          'the 通讯录 test takes the browser offline on purpose; a request in flight then (the ' +
          'bell refreshing its inbox) fails and the page keeps what it had',
      },
    ],
  })
  let adminContext: BrowserContext
  let admin: Page
  const fixture = importFixture()
  let codesCsv = ''

  beforeAll(async () => {
    const session = await newUser(e2e.browser)
    adminContext = session.context
    admin = session.page
  })

  afterAll(async () => {
    await adminContext?.close()
  })

  test('the admin builds 省 → 市 → 县 in 组织机构 and moves a county with its subtree', async () => {
    await loginThroughUi(admin, e2e.app.url, 'admin', ADMIN_PASSWORD)
    await admin.locator('[data-testid="nav-admin"]').click()
    await admin.locator('[data-testid="admin-tab-units"]').click()
    await admin.locator('[data-testid="unit-new-root"]').click()
    await fillUnitDialog(admin, '省', '山东省', 'sd')
    await admin.locator('[data-testid="unit-new-child"]').click()
    await fillUnitDialog(admin, '市', '济南市', 'jn')
    // The new unit is selected, so its own child goes straight under it.
    await admin.locator('[data-testid="unit-new-child"]').click()
    await fillUnitDialog(admin, '县', '历下区', 'lx')
    await selectUnit(admin, 'jn')
    await admin.locator('[data-testid="unit-new-child"]').click()
    await fillUnitDialog(admin, '县', '市中区', 'sz')
    await selectUnit(admin, 'sd')
    await admin.locator('[data-testid="unit-new-child"]').click()
    await fillUnitDialog(admin, '市', '青岛市', 'qd')
    await selectUnit(admin, 'lx')
    await admin.locator('[data-testid="unit-new-child"]').click()
    await fillUnitDialog(admin, '部门', '区政府办公室', 'lx-ban')

    // Move 历下区 (with its department) under 青岛市, then back.
    for (const [parentName, parentCode] of [
      ['青岛市', 'qd'],
      ['济南市', 'jn'],
    ] as const) {
      await selectUnit(admin, 'lx')
      await admin.locator('[data-testid="unit-move"]').click()
      const dialog = admin.locator('[data-testid="unit-move-dialog"]')
      await pickInTreeSelect(admin, dialog.locator('.el-select'), parentName)
      await dialog.locator('[data-testid="unit-move-submit"]').click()
      await dialog.waitFor({ state: 'hidden' })
      const { body } = await e2e.app.admin.request<{ units: ApiUnit[] }>('GET', '/units')
      const byCode = new Map(body.units.map((u) => [u.code, u]))
      expect(byCode.get('lx')?.parentId).toBe(byCode.get(parentCode)?.id)
      expect(byCode.get('lx-ban')?.path).toEqual([
        byCode.get('sd')?.id,
        byCode.get(parentCode)?.id,
        byCode.get('lx')?.id,
        byCode.get('lx-ban')?.id,
      ])
    }

    const { body } = await e2e.app.admin.request<{ units: ApiUnit[] }>('GET', '/units')
    const byCode = new Map(body.units.map((u) => [u.code, u]))
    expect(byCode.get('sd')).toMatchObject({ kind: 'province', name: '山东省', parentId: null })
    expect(byCode.get('jn')).toMatchObject({ kind: 'city', parentId: byCode.get('sd')?.id })
    expect(byCode.get('lx')).toMatchObject({ kind: 'county', parentId: byCode.get('jn')?.id })
    expect(byCode.get('sz')).toMatchObject({ kind: 'county', parentId: byCode.get('jn')?.id })
    await selectUnit(admin, 'lx')
    expect(await admin.locator('[data-testid="unit-detail"]').textContent()).toContain(
      '山东省 / 济南市 / 历下区',
    )
    await screenshot(admin, 'admin-units')
  })

  test('a CSV of 1,000 accounts with 20 invalid rows: the 20 are listed with row and reason, the 980 others are created', async () => {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
    const file = path.join(SCREENSHOT_DIR, 'admin-import-1000.csv')
    fs.writeFileSync(file, fixture.csv)
    await admin.locator('[data-testid="admin-tab-imports"]').click()
    await admin.locator('[data-testid="import-upload"] input[type="file"]').setInputFiles(file)
    const summary = admin.locator('[data-testid="import-summary"]')
    await summary.waitFor({ state: 'visible' })
    expect(await summary.textContent()).toContain('共 1000 行：980 行有效，20 行有错误')

    // Every invalid row is listed with its row number and a reason.
    const rows = await admin
      .locator('[data-testid="import-errors"] .el-table__body tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      )
    expect(rows).toHaveLength(20)
    expect(new Set(rows.map(([row]) => Number(row)))).toEqual(new Set(fixture.badRows.keys()))
    for (const [row, username, reason] of rows) {
      expect(username).toBe(fixture.badRows.get(Number(row)))
      expect(reason?.length).toBeGreaterThan(0)
    }
    const reasonOf = (row: number) => rows.find(([r]) => Number(r) === row)?.[2] ?? ''
    expect(reasonOf(9)).toContain('单位代码不存在')
    expect(reasonOf(59)).toContain('用户名格式不正确')
    expect(reasonOf(109)).toContain('电话号码格式不正确')
    expect(reasonOf(159)).toContain('姓名为空')
    await screenshot(admin, 'admin-import-validated')

    // Nothing is written before the commit.
    const before = await e2e.app.admin.request<{ total: number }>(
      'GET',
      '/admin/users?q=u0&limit=1',
    )
    expect(before.body.total).toBe(0)

    const report = await download(admin, admin.locator('[data-testid="import-error-report"]'))
    const reportRows = csvRows(report)
    expect(reportRows[0]).toEqual(['行号', '用户名', '错误原因'])
    expect(new Set(reportRows.slice(1).map(([row]) => Number(row)))).toEqual(
      new Set(fixture.badRows.keys()),
    )

    await admin.locator('[data-testid="import-commit"]').click()
    await admin
      .locator('[data-testid="import-done"]')
      .waitFor({ state: 'visible', timeout: 30_000 })
    expect(await admin.locator('[data-testid="import-done"]').textContent()).toContain(
      '已创建 980 个账号',
    )
    await screenshot(admin, 'admin-import-done')

    const created = await e2e.app.admin.request<{ total: number }>(
      'GET',
      '/admin/users?q=u&limit=1',
    )
    expect(created.body.total).toBe(980)
    // None of the invalid rows was created (the valid usernames around them were).
    for (const [row, username] of fixture.badRows) {
      const probe = `u${String(row - 2).padStart(4, '0')}`
      const { body } = await e2e.app.admin.request<{ accounts: ApiAccount[] }>(
        'GET',
        `/admin/users?q=${encodeURIComponent(probe)}&limit=5`,
      )
      expect(body.accounts.map((a) => a.username)).not.toContain(probe)
      expect(body.accounts.map((a) => a.username)).not.toContain(username)
    }
    const neighbour = await e2e.app.admin.request<{ accounts: ApiAccount[] }>(
      'GET',
      '/admin/users?q=u0006&limit=5',
    )
    expect(neighbour.body.accounts.map((a) => a.username)).toEqual(['u0006'])

    // Leaving before the one-time codes are saved asks first; 留在此页 keeps the wizard.
    await admin.locator('[data-testid="admin-tab-audit"]').click()
    const leave = admin.locator('.el-message-box', { hasText: '激活码只能下载一次' })
    await leave.waitFor({ state: 'visible' })
    await screenshot(admin, 'admin-import-leave-warning')
    await leave.locator('.el-message-box__btns button', { hasText: '留在此页' }).click()
    await leave.waitFor({ state: 'hidden' })
    expect(admin.url()).toContain('/admin/imports')
    // Closing or reloading the tab would trigger the browser's own warning.
    expect(
      await admin.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true })
        window.dispatchEvent(event)
        return event.defaultPrevented
      }),
    ).toBe(true)

    codesCsv = await download(admin, admin.locator('[data-testid="import-codes"]'))
    const codes = csvRows(codesCsv)
    expect(codes[0]).toEqual(['用户名', '姓名', '激活码'])
    expect(codes).toHaveLength(981)
    await admin.locator('[data-testid="import-codes-taken"]').waitFor({ state: 'visible' })
    await screenshot(admin, 'admin-import-codes-taken')
  })

  test('the audit log viewer lists the import, verifies the chain and names an altered entry', async () => {
    await admin.locator('[data-testid="admin-tab-audit"]').click()
    await admin.locator('[data-testid="audit-table"]').waitFor({ state: 'visible' })
    expect(await admin.locator('[data-testid="audit-table"]').textContent()).toContain('批量导入')
    await admin.locator('[data-testid="audit-verify"]').click()
    const result = admin.locator('[data-testid="audit-verify-result"]')
    await result.waitFor({ state: 'visible' })
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await result.textContent()).toContain('审计链完整')
    await screenshot(admin, 'admin-audit')

    // Someone alters entry 5 directly in the database: 校验 names it.
    const db = new Database(path.join(e2e.app.relay.dataDir, 'qilu.sqlite'))
    db.prepare(`UPDATE audit_log SET actor_name = '他人' WHERE seq = 5`).run()
    db.close()
    await admin.locator('[data-testid="audit-verify"]').click()
    const broken = admin.locator('[data-testid="audit-verify-result"][data-ok="false"]')
    await broken.waitFor({ state: 'visible' })
    expect(await broken.textContent()).toContain('第 5 条：内容被修改')
    await screenshot(admin, 'admin-audit-broken')
  })

  test('accounts: edit adds a 兼职 and opens the phone, deactivate names a successor, reset shows a new code', async () => {
    const visible = (selector: string) => admin.locator(selector).filter({ visible: true })
    const findRow = async (username: string) => {
      await admin.locator('input[data-testid="user-search"]').fill(username)
      const row = admin.locator('.el-table__body tr').filter({ hasText: username })
      await row.first().waitFor()
      await expect.poll(() => admin.locator('.el-table__body tr').count()).toBe(1)
      return row.first()
    }
    const accountOf = async (username: string) => {
      const { body } = await e2e.app.admin.request<{ accounts: ApiAccount[] }>(
        'GET',
        `/admin/users?q=${username}&limit=1`,
      )
      const account = body.accounts[0]
      if (account?.username !== username) {
        throw new Error(`account ${username} not found`)
      }
      return account
    }

    await admin.locator('[data-testid="admin-tab-users"]').click()
    // Create one account by hand: without a password it gets a one-time activation code.
    await admin.locator('[data-testid="user-new"]').click()
    const form = admin.locator('[data-testid="user-form-dialog"]')
    await form.locator('#user-username').fill('li.si')
    await form.locator('#user-display-name').fill('李四')
    await pickInTreeSelect(admin, form.locator('#user-unit'), '市中区')
    await form.locator('#user-post').fill('副科长')
    await form.locator('#user-post').press('Enter')
    const newCode = form.locator('[data-testid="activation-code"]')
    await newCode.waitFor()
    const firstLogin = await e2e.app.admin.request<{ user: { mustChangePassword: boolean } }>(
      'POST',
      '/auth/login',
      { username: 'li.si', password: (await newCode.textContent())?.trim() ?? '' },
    )
    expect(firstLogin.status).toBe(200)
    expect(firstLogin.body.user.mustChangePassword).toBe(true)
    expect((await accountOf('li.si')).posts).toEqual([
      expect.objectContaining({ title: '副科长', primary: true }),
    ])
    await admin.keyboard.press('Escape')
    await form.waitFor({ state: 'hidden' })

    let row = await findRow('u0200')
    await row.getByText('编辑').click()
    await expect.poll(() => form.locator('#user-display-name').inputValue()).toBe('张伟')
    await form.getByText('+ 添加兼职').click()
    await pickInTreeSelect(admin, form.locator('.posts .el-select').first(), '市中区')
    await form.getByPlaceholder('职务名称').fill('联络员')
    await form.locator('.el-radio-button').filter({ hasText: '所有人' }).click()
    await screenshot(admin, 'admin-user-edit')
    await form.locator('#user-display-name').press('Enter')
    await form.waitFor({ state: 'hidden' })
    await row.getByText('兼职').waitFor()
    const edited = await accountOf('u0200')
    const units = (await e2e.app.admin.request<{ units: ApiUnit[] }>('GET', '/units')).body.units
    const sz = units.find((u) => u.code === 'sz')
    expect(edited.phoneVisibility).toBe('public')
    expect(edited.posts).toEqual([
      expect.objectContaining({ title: '科员', primary: true }),
      { unitId: sz?.id, title: '联络员', primary: false },
    ])
    await screenshot(admin, 'admin-users')

    // Deactivate 张伟 (u0300), handing his work to u0000.
    row = await findRow('u0300')
    await row.locator('[data-testid="user-more-u0300"]').click()
    await visible('.el-dropdown-menu__item').getByText('停用').click()
    const deactivate = admin.locator('[data-testid="user-deactivate-dialog"]')
    await deactivate.locator('.el-select').click()
    await deactivate.locator('.el-select input').fill('u0000')
    await visible('.el-select-dropdown__item').getByText('张伟（u0000）').click()
    await screenshot(admin, 'admin-user-deactivate')
    await deactivate.locator('[data-testid="user-deactivate-submit"]').click()
    await deactivate.waitFor({ state: 'hidden' })
    await row.getByText('已停用').waitFor()
    expect((await accountOf('u0300')).active).toBe(false)

    // Reset u0400's password: a new one-time code, which then signs in.
    row = await findRow('u0400')
    await row.locator('[data-testid="user-more-u0400"]').click()
    await visible('.el-dropdown-menu__item').getByText('重置密码').click()
    await admin.locator('.el-message-box__btns .el-button--primary').click()
    const code = admin.locator('[data-testid="activation-code"]').filter({ visible: true })
    await code.waitFor()
    const activationCode = (await code.textContent())?.trim() ?? ''
    expect(activationCode.length).toBeGreaterThan(10)
    const login = await e2e.app.admin.request<{ user: { mustChangePassword: boolean } }>(
      'POST',
      '/auth/login',
      { username: 'u0400', password: activationCode },
    )
    expect(login.status).toBe(200)
    expect(login.body.user.mustChangePassword).toBe(true)
    await admin.keyboard.press('Escape')
  })

  test('a 县 unit admin sees only their own subtree and no audit log', async () => {
    const units = (await e2e.app.admin.request<{ units: ApiUnit[] }>('GET', '/units')).body.units
    const lx = units.find((u) => u.code === 'lx')
    const created = await e2e.app.admin.request('POST', '/admin/users', {
      username: 'lx.admin',
      displayName: '历下管理员',
      unitId: lx?.id,
      roles: ['unitadmin'],
      password: USER_PASSWORD,
    })
    expect(created.status).toBe(201)
    const { context, page } = await newUser(e2e.browser)
    await loginThroughUi(page, e2e.app.url, 'lx.admin', USER_PASSWORD)
    await page.locator('[data-testid="nav-admin"]').click()
    await expect
      .poll(() => page.locator('[data-testid="admin-scope"]').textContent())
      .toContain('可管理 历下区 及其下级单位')
    expect(await page.locator('[data-testid="admin-tab-audit"]').count()).toBe(0)
    await page.locator('[data-testid="admin-tab-units"]').click()
    const tree = page.locator('[data-testid="unit-tree"]')
    await tree.locator('[data-unit-code="lx"]').waitFor()
    const codes = await tree
      .locator('[data-unit-code]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-unit-code')))
    expect(codes.sort()).toEqual(['lx', 'lx-ban'])
    expect(await page.locator('[data-testid="unit-new-root"]').count()).toBe(0)
    await page.locator('[data-testid="admin-tab-users"]').click()
    // Exactly the accounts of 历下区 and below, fewer than the province's.
    const total = page.locator('[data-testid="user-total"]')
    const expected = (
      await e2e.app.admin.request<{ total: number }>('GET', `/admin/users?unitId=${lx?.id}&limit=1`)
    ).body.total
    await expect.poll(() => total.textContent()).toBe(`共 ${expected} 个账号`)
    const all = (await e2e.app.admin.request<{ total: number }>('GET', '/admin/users?limit=1')).body
      .total
    expect(expected).toBeLessThan(all)
    await page.goto(`${e2e.app.url}/admin/audit`)
    await page.locator('a.active[data-testid="admin-tab-users"]').waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin/users')
    await screenshot(page, 'admin-unit-admin-scope')
    await context.close()
  })

  test('a newcomer signs in with an activation code, must set a password, then finds 张伟 in 通讯录 by "zw"', async () => {
    const codes = csvRows(codesCsv)
    // u0003 is 赵伟 in 市中区; 张伟 (u0000) is in 历下区.
    const newcomer = codes.find(([username]) => username === 'u0003')
    expect(newcomer?.[1]).toBe('赵伟')
    const code = newcomer?.[2] ?? ''
    const { context, page } = await newUser(e2e.browser)
    await page.goto(`${e2e.app.url}/login`)
    await page.locator('#login-username').fill('u0003')
    await page.locator('#login-password').fill(code)
    await page.locator('#login-password').press('Enter')
    await page.locator('#new-password').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/password')
    // Nothing else is reachable before the password is set.
    await page.goto(`${e2e.app.url}/directory`)
    await page.locator('#new-password').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname).toBe('/password')
    await page.locator('#old-password').fill(code)
    await page.locator('#new-password').fill('Zhao#Wei2026')
    await page.locator('#confirm-password').fill('Zhao#Wei2026')
    await page.locator('#confirm-password').press('Enter')
    await page.locator('[data-testid="user-menu"]').waitFor({ state: 'visible' })

    await page.locator('[data-testid="nav-directory"]').click()
    // Their own unit opens first, from its directory room.
    const members = page.locator('[data-testid="directory-members"]')
    await members.waitFor({ state: 'visible' })
    expect(await page.locator('[data-testid="directory-unit-title"]').textContent()).toContain(
      '山东省 / 济南市 / 市中区',
    )
    expect(await members.textContent()).toContain('陈芳')
    // The room carries public numbers only; a colleague of the same unit may see this one on asking.
    const colleague = members.locator('.el-table__body tr').filter({ hasText: 'u0015' })
    await colleague.getByRole('button', { name: '查看 u0015 的电话' }).click()
    await colleague.getByText('13800000015').waitFor()
    await screenshot(page, 'directory-unit')

    // From the keyboard: focus 历下区 in the tree, open it with →, select it with Enter.
    const units = (await e2e.app.admin.request<{ units: ApiUnit[] }>('GET', '/units')).body.units
    const lxId = units.find((u) => u.code === 'lx')?.id ?? ''
    const lxItem = page.locator(
      `[data-testid="directory-tree"] [role="treeitem"][data-key="${lxId}"]`,
    )
    await lxItem.focus()
    await page.keyboard.press('ArrowRight')
    await page.locator('[data-testid="directory-tree"]').getByText('区政府办公室').waitFor()
    await lxItem.focus()
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.locator('[data-testid="directory-unit-title"]').textContent())
      .toContain('山东省 / 济南市 / 历下区')
    await members.getByText('u0012').waitFor()

    await page.locator('input[data-testid="directory-search"]').fill('zw')
    const results = page.locator('[data-testid="directory-results"]')
    await results.getByText('张伟').first().waitFor()
    const found = await results
      .locator('.el-table__body tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      )
    expect(found[0]?.[0]).toBe('张伟')
    const zhangWei = found.find(([, username]) => username === 'u0000')
    expect(zhangWei?.[2]).toContain('历下区')
    // 张伟 is in another county: their phone is not shown; a colleague of the same unit's is.
    expect(zhangWei?.[3]).toBe('未公开')
    expect(found.find(([, username]) => username === 'u0103')?.[3]).toBe('13800000103')
    await screenshot(page, 'directory-search-zw')

    // Offline, the search runs over the unit copies on this device (市中区 was opened above).
    await context.setOffline(true)
    await page.locator('input[data-testid="directory-search"]').fill('zhaow')
    await page.locator('[data-testid="directory-offline-search"]').waitFor({ state: 'visible' })
    await results.getByText('赵伟').first().waitFor()
    await screenshot(page, 'directory-offline-search')
    await context.setOffline(false)

    await page.locator('[data-testid="user-menu"]').click()
    await page.locator('[data-testid="my-sessions"]').click()
    await page.locator('[data-testid="sessions-table"]').getByText('当前会话').waitFor()
    await screenshot(page, 'my-sessions')
    await context.close()
  })
})
