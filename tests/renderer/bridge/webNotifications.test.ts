/**
 * The web client's notifications (the browser's Notification API behind the DesktopBridge): notify
 * never asks for permission (it runs on relay events, not on a user gesture); enableNotifications,
 * called from a click, asks; clicking a shown notification focuses the window and offers its route
 * to the app's router.
 */
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createWebBridge } from '../../../renderer/src/bridge/webBridge'
import { NAVIGATE_EVENT } from '../../../shared/ipc/appRoute'

/** A stand-in for the browser's Notification class, recording what the bridge did. */
class FakeNotification {
  static permission: NotificationPermission = 'default'
  static requests = 0
  static shown: FakeNotification[] = []
  static async requestPermission(): Promise<NotificationPermission> {
    FakeNotification.requests += 1
    FakeNotification.permission = 'granted'
    return 'granted'
  }
  onclick: (() => void) | null = null
  closed = false
  constructor(
    readonly title: string,
    readonly options: { body?: string },
  ) {
    FakeNotification.shown.push(this)
  }
  close(): void {
    this.closed = true
  }
}

describe('web notifications', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    FakeNotification.permission = 'default'
    FakeNotification.requests = 0
    FakeNotification.shown = []
  })

  test('notify does not ask for permission; enableNotifications does, and then notify shows', async () => {
    vi.stubGlobal('Notification', FakeNotification)
    const bridge = createWebBridge()
    expect(await bridge.notify({ title: '新的待办', body: '请审批' })).toEqual({
      ok: false,
      code: 'cancelled',
    })
    expect(FakeNotification.requests).toBe(0)
    expect(FakeNotification.shown).toEqual([])

    expect(await bridge.enableNotifications()).toEqual({ ok: true, value: { granted: true } })
    expect(FakeNotification.requests).toBe(1)
    expect(await bridge.notify({ title: '新的待办', body: '请审批' })).toEqual({
      ok: true,
      value: null,
    })
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body])).toEqual([
      ['新的待办', '请审批'],
    ])
  })

  test('a denied permission is not asked again, and notify reports it', async () => {
    vi.stubGlobal('Notification', FakeNotification)
    FakeNotification.permission = 'denied'
    const bridge = createWebBridge()
    expect(await bridge.enableNotifications()).toEqual({ ok: true, value: { granted: false } })
    expect(FakeNotification.requests).toBe(0)
    expect((await bridge.notify({ title: 't', body: 'b' })).ok).toBe(false)
  })

  test('clicking a notification focuses the window and offers its route to the router', async () => {
    vi.stubGlobal('Notification', FakeNotification)
    FakeNotification.permission = 'granted'
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {})
    const routes: unknown[] = []
    const router = (event: Event): void => {
      routes.push(event instanceof CustomEvent ? event.detail : null)
      event.preventDefault()
    }
    window.addEventListener(NAVIGATE_EVENT, router)
    try {
      const bridge = createWebBridge()
      await bridge.notify({ title: '待办', body: '请审批', route: '/approvals/42' })
      const shown = FakeNotification.shown[0]
      shown?.onclick?.()
      expect(focus).toHaveBeenCalled()
      expect(routes).toEqual(['/approvals/42'])
      expect(shown?.closed).toBe(true)

      // A route that is not one of the client's is never offered.
      await bridge.notify({ title: '待办', body: 'x', route: 'https://evil.example/' })
      FakeNotification.shown[1]?.onclick?.()
      expect(routes).toEqual(['/approvals/42'])
    } finally {
      window.removeEventListener(NAVIGATE_EVENT, router)
      focus.mockRestore()
    }
  })

  test('without the Notification API both calls report unsupported', async () => {
    vi.stubGlobal('Notification', undefined)
    const bridge = createWebBridge()
    expect(await bridge.notify({ title: 't', body: 'b' })).toEqual({
      ok: false,
      code: 'unsupported',
    })
    expect(await bridge.enableNotifications()).toEqual({ ok: false, code: 'unsupported' })
  })
})
