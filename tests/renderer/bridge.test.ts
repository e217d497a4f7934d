import { afterEach, describe, expect, test } from 'vitest'
import { createWebBridge } from '../../renderer/src/bridge/webBridge'
import { getBridge, isDesktop } from '../../renderer/src/bridge'
import { presentUsers } from '../../renderer/src/collab/usePresence'

describe('web bridge', () => {
  afterEach(() => localStorage.clear())

  test('remembers, returns and forgets the session token', async () => {
    const bridge = createWebBridge()
    expect(await bridge.loadCredential()).toEqual({ ok: true, value: null })
    await bridge.storeCredential('token-1')
    expect(await bridge.loadCredential()).toEqual({ ok: true, value: 'token-1' })
    await bridge.clearCredential()
    expect(await bridge.loadCredential()).toEqual({ ok: true, value: null })
  })

  test('reports itself as the web client', async () => {
    const info = await createWebBridge().appInfo()
    expect(info.ok && info.value.kind).toBe('web')
  })

  test('the browser gets the web bridge when no preload exposed one', () => {
    expect(isDesktop()).toBe(false)
    expect(getBridge()).toBe(getBridge())
  })
})

describe('presence list', () => {
  test('shows each colleague once, never this client or this user', () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { id: 'me', name: '我', color: '#000000' } }],
      [2, { user: { id: 'u2', name: '李娜', color: '#c0392b' } }],
      [3, { user: { id: 'u2', name: '李娜', color: '#c0392b' } }],
      [4, { user: { id: 'me', name: '我', color: '#000000' } }],
      [5, { cursor: null }],
    ])
    expect(presentUsers(states, 1, 'me')).toEqual([{ key: 'u2', name: '李娜', color: '#c0392b' }])
  })
})
