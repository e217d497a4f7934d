import { afterEach, describe, expect, test } from 'vitest'
import { createWebBridge } from '../../../renderer/src/bridge/webBridge'
import { WebDeviceKeys } from '../../../renderer/src/bridge/webDeviceKeys'
import { sm2Verify } from '../../../shared/crypto/sm2'
import { getBridge, isDesktop } from '../../../renderer/src/bridge'
import { presentUsers } from '../../../renderer/src/collab/usePresence'

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

  test('makes one SM2 key per account, signs with it, and forgets it', async () => {
    const shelf = new Map<string, string>()
    const keys = new WebDeviceKeys({
      get: async (account) => shelf.get(account),
      put: async (account, key) => {
        shelf.set(account, key)
      },
      delete: async (account) => {
        shelf.delete(account)
      },
    })
    const bridge = createWebBridge(localStorage, keys)
    expect(await bridge.deviceKey({ account: 'u1' })).toEqual({ ok: true, value: null })
    const signedBefore = await bridge.signWithDeviceKey({
      account: 'u1',
      data: new Uint8Array([1]),
    })
    expect(signedBefore).toEqual({ ok: false, code: 'failed' })
    const created = await bridge.createDeviceKey({ account: 'u1' })
    if (!created.ok) {
      throw new Error('no key')
    }
    expect(created.value.publicKey).toMatch(/^04[0-9a-f]{128}$/)
    expect(await bridge.deviceKey({ account: 'u1' })).toEqual(created)
    const data = new TextEncoder().encode('{"type":"approve"}')
    const signed = await bridge.signWithDeviceKey({ account: 'u1', data })
    expect(signed.ok && sm2Verify(data, signed.value.signature, created.value.publicKey)).toBe(true)
    await bridge.forgetDeviceKey({ account: 'u1' })
    expect(await bridge.deviceKey({ account: 'u1' })).toEqual({ ok: true, value: null })
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
