/**
 * Desktop notifications of the 待办 centre: `notify({ title, body, route })` takes only a route of
 * the client (never a URL, a host, a fragment or a dot segment), clicking a notification brings the
 * window forward and hands the route to the page, and the page gives it to the app's router or,
 * when nothing takes it, loads it. Asking for permission is a method of its own (the web client
 * asks on a click only).
 */
import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS, NAVIGATE_CHANNEL } from '../../shared/ipc/contract'
import type { NotifyRequest } from '../../shared/ipc/contract'
import {
  MAX_APP_ROUTE_LENGTH,
  NAVIGATE_EVENT,
  isAppRoute,
  openRoute,
} from '../../shared/ipc/appRoute'
import { NotifyRequestSchema } from '../../shared/ipc/schemas'
import { createIpcHandlers } from '../../electron/main/ipcHandlers'
import type { Logger } from '../../electron/main/logger'
import type { DesktopServices } from '../../electron/main/services/desktopServices'
import { openFromNotification } from '../../electron/main/services/notificationClick'
import type { NotifiedWindow } from '../../electron/main/services/notificationClick'
import { windowPage } from '../../electron/preload/pageRoute'

const ORIGIN = 'http://127.0.0.1:8080'

const GOOD_ROUTES = [
  '/',
  '/approvals/42',
  '/todos?box=pending',
  '/approvals/a_B-9?tab=timeline&from=notification',
  '/search?q=%E9%80%9A%E7%9F%A5',
]

const BAD_ROUTES: unknown[] = [
  '',
  'approvals/42',
  'https://evil.example/approvals',
  '//evil.example/approvals',
  '/\\evil.example',
  '/approvals\\42',
  'javascript:alert(1)',
  '/approvals/../admin',
  '/approvals/%2e%2e/admin',
  '/approvals/%2E%2E',
  '/./approvals',
  '/approvals/42#frag',
  '/approvals/4 2',
  '/approvals/\u0000',
  '/approvals/\n42',
  '/审批/42',
  '/a%2fb',
  '/a%zz',
  `/${'a'.repeat(MAX_APP_ROUTE_LENGTH)}`,
  42,
  null,
  { toString: () => '/approvals/42' },
]

const quiet: Logger = { info() {}, warn() {}, error() {} }

describe('notification routes', () => {
  it('accept a path of the client with a query, and refuse anything that could leave it', () => {
    for (const route of GOOD_ROUTES) {
      expect(isAppRoute(route), route).toBe(true)
    }
    for (const route of BAD_ROUTES) {
      expect(isAppRoute(route), String(route)).toBe(false)
    }
  })

  it('are checked in the IPC argument of notify, where a bad one refuses the call before the service', async () => {
    expect(
      NotifyRequestSchema.safeParse({ title: '待办', body: '请审批', route: '/approvals/1' })
        .success,
    ).toBe(true)
    expect(NotifyRequestSchema.safeParse({ title: '待办', body: '请审批' }).success).toBe(true)
    const shown: NotifyRequest[] = []
    const services = {
      notify: async (_caller: unknown, request: NotifyRequest) => {
        shown.push(request)
      },
      enableNotifications: async () => ({ granted: true }),
    } as unknown as DesktopServices<unknown>
    const handlers = createIpcHandlers(services, { trustedOrigin: ORIGIN, logger: quiet })
    const frame = { url: `${ORIGIN}/todos`, isMainFrame: true }
    for (const route of BAD_ROUTES) {
      expect(await handlers.notify({}, frame, [{ title: '待办', body: '请审批', route }])).toEqual({
        ok: false,
        code: 'invalid_arguments',
      })
    }
    expect(shown).toEqual([])
    expect(
      await handlers.notify({}, frame, [{ title: '待办', body: '请审批', route: '/approvals/7' }]),
    ).toEqual({
      ok: true,
      value: null,
    })
    expect(shown).toEqual([{ title: '待办', body: '请审批', route: '/approvals/7' }])
    expect(await handlers.enableNotifications({}, frame, [])).toEqual({
      ok: true,
      value: { granted: true },
    })
    expect(await handlers.enableNotifications({}, frame, ['please'])).toEqual({
      ok: false,
      code: 'invalid_arguments',
    })
    expect(IPC_CHANNELS.enableNotifications).not.toBe(NAVIGATE_CHANNEL)
  })
})

/** A window that records what a click did to it. */
function fakeWindow(state: { minimized?: boolean; destroyed?: boolean } = {}) {
  const did: string[] = []
  const sent: [string, unknown[]][] = []
  const window: NotifiedWindow = {
    isDestroyed: () => state.destroyed === true,
    isMinimized: () => state.minimized === true,
    restore: () => did.push('restore'),
    show: () => did.push('show'),
    focus: () => did.push('focus'),
    webContents: { send: (channel, ...args) => sent.push([channel, args]) },
  }
  return { window, did, sent }
}

describe('clicking a notification', () => {
  it('restores a minimised window, brings it forward and sends its page the route', () => {
    const { window, did, sent } = fakeWindow({ minimized: true })
    expect(openFromNotification(window, '/approvals/42')).toBe('opened')
    expect(did).toEqual(['restore', 'show', 'focus'])
    expect(sent).toEqual([[NAVIGATE_CHANNEL, ['/approvals/42']]])
  })

  it('only brings the window forward when there is no route, or one that is not a route', () => {
    for (const route of [undefined, 'https://evil.example/']) {
      const { window, did, sent } = fakeWindow()
      expect(openFromNotification(window, route)).toBe('focused')
      expect(did).toEqual(['show', 'focus'])
      expect(sent).toEqual([])
    }
  })

  it('does nothing once the window is gone', () => {
    const { window, did, sent } = fakeWindow({ destroyed: true })
    expect(openFromNotification(window, '/approvals/42')).toBe('gone')
    expect(openFromNotification(null, '/approvals/42')).toBe('gone')
    expect([did, sent]).toEqual([[], []])
  })
})

/** A window whose app router may or may not take the navigate event. */
function fakePage(routerTakesIt: boolean) {
  const offered: unknown[] = []
  const loaded: string[] = []
  const target = new EventTarget()
  target.addEventListener(NAVIGATE_EVENT, (event) => {
    offered.push(event instanceof CustomEvent ? event.detail : null)
    if (routerTakesIt) {
      event.preventDefault()
    }
  })
  const win = {
    dispatchEvent: (event: Event) => target.dispatchEvent(event),
    location: { assign: (url: string) => loaded.push(url) },
  }
  return { page: windowPage(win), offered, loaded }
}

describe('the page opening a route', () => {
  it('lets the app router take it without a reload', () => {
    const { page, offered, loaded } = fakePage(true)
    expect(openRoute('/approvals/42', page)).toBe('routed')
    expect(offered).toEqual(['/approvals/42'])
    expect(loaded).toEqual([])
  })

  it('loads the route when no router takes it', () => {
    const { page, offered, loaded } = fakePage(false)
    expect(openRoute('/todos?box=pending', page)).toBe('loaded')
    expect(offered).toEqual(['/todos?box=pending'])
    expect(loaded).toEqual(['/todos?box=pending'])
  })

  it('refuses what is not a route, whoever sent it', () => {
    const { page, offered, loaded } = fakePage(false)
    for (const route of BAD_ROUTES) {
      expect(openRoute(route, page)).toBe('refused')
    }
    expect([offered, loaded]).toEqual([[], []])
  })
})
