import { describe, expect, test, vi } from 'vitest'

const notify = vi.fn(async () => ({ ok: true as const, value: null }))
const enableNotifications = vi.fn(async () => ({ ok: true as const, value: { granted: true } }))

vi.mock('../../../renderer/src/bridge/index', () => ({
  getBridge: () => ({ notify, enableNotifications }),
  isDesktop: () => true,
}))

const { notifyPreference, requestNoticePermission, setNotifyPreference, showNotice } =
  await import('../../../renderer/src/bridge/desktopNotices')

describe('desktop notifications (待办 and 通知)', () => {
  test('wanted by default, and the choice is kept per account on this device', () => {
    const storage = new Map<string, string>()
    const shelf = {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    } as unknown as Storage
    expect(notifyPreference('u1', shelf)).toBe(true)
    setNotifyPreference('u1', false, shelf)
    expect(notifyPreference('u1', shelf)).toBe(false)
    expect(notifyPreference('u2', shelf)).toBe(true)
  })

  test('a notice goes through the bridge with the route a click opens', async () => {
    expect(
      await showNotice({ title: '新的待办', body: '李明 提交：请假申请', link: '/approvals/a1' }),
    ).toBe(true)
    expect(notify).toHaveBeenCalledWith({
      title: '新的待办',
      body: '李明 提交：请假申请',
      route: '/approvals/a1',
    })
  })

  test('permission is asked through the bridge', async () => {
    expect(await requestNoticePermission()).toBe('granted')
    expect(enableNotifications).toHaveBeenCalledOnce()
  })
})
