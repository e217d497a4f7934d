import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS } from '../../shared/ipc/contract'
import type { DesktopBridge } from '../../shared/ipc/contract'
import { createBridge } from '../../electron/preload/bridge'
import type { InvokeMethod } from '../../electron/preload/bridge'

describe('preload bridge', () => {
  it('exposes exactly the contract methods, each forwarding its arguments to its own channel', async () => {
    const sent: [string, unknown[]][] = []
    const invoke: InvokeMethod = async (method, ...args) => {
      sent.push([IPC_CHANNELS[method], args])
      return { ok: false, code: 'unsupported' }
    }
    const bridge = createBridge(invoke)
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(IPC_CHANNELS).sort())

    const data = new Uint8Array([1])
    const calls: { [K in keyof DesktopBridge]: () => Promise<unknown> } = {
      appInfo: () => bridge.appInfo(),
      saveFile: () =>
        bridge.saveFile({ suggestedName: 'a.pdf', mimeType: 'application/pdf', data }),
      printToPdf: () => bridge.printToPdf({ title: '通知' }),
      notify: () => bridge.notify({ title: 't', body: 'b', route: '/approvals/1' }),
      enableNotifications: () => bridge.enableNotifications(),
      loadCredential: () => bridge.loadCredential(),
      storeCredential: () => bridge.storeCredential('tok'),
      clearCredential: () => bridge.clearCredential(),
      deviceKey: () => bridge.deviceKey({ account: 'u1' }),
      createDeviceKey: () => bridge.createDeviceKey({ account: 'u1' }),
      signWithDeviceKey: () => bridge.signWithDeviceKey({ account: 'u1', data }),
      forgetDeviceKey: () => bridge.forgetDeviceKey({ account: 'u1' }),
    }
    for (const call of Object.values(calls)) {
      expect(await call()).toEqual({ ok: false, code: 'unsupported' })
    }
    expect(sent).toEqual([
      [IPC_CHANNELS.appInfo, []],
      [IPC_CHANNELS.saveFile, [{ suggestedName: 'a.pdf', mimeType: 'application/pdf', data }]],
      [IPC_CHANNELS.printToPdf, [{ title: '通知' }]],
      [IPC_CHANNELS.notify, [{ title: 't', body: 'b', route: '/approvals/1' }]],
      [IPC_CHANNELS.enableNotifications, []],
      [IPC_CHANNELS.loadCredential, []],
      [IPC_CHANNELS.storeCredential, ['tok']],
      [IPC_CHANNELS.clearCredential, []],
      [IPC_CHANNELS.deviceKey, [{ account: 'u1' }]],
      [IPC_CHANNELS.createDeviceKey, [{ account: 'u1' }]],
      [IPC_CHANNELS.signWithDeviceKey, [{ account: 'u1', data }]],
      [IPC_CHANNELS.forgetDeviceKey, [{ account: 'u1' }]],
    ])
  })

  it('cannot be altered by the page', () => {
    const bridge = createBridge(async () => ({ ok: false, code: 'failed' }))
    expect(Object.isFrozen(bridge)).toBe(true)
  })
})
