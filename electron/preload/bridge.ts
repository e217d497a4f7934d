/**
 * The `DesktopBridge` over a typed invoke function. Each method forwards its own arguments to its
 * own channel, so the page can reach exactly the contract's channels and nothing else; the main
 * process validates what arrives.
 */
import type { DesktopBridge, IpcResult } from '../../shared/ipc/contract'
import type { BridgeMethod, BridgeValue } from '../../shared/ipc/schemas'

/** Sends one bridge call to the main process and resolves to its result. */
export type InvokeMethod = <K extends BridgeMethod>(
  method: K,
  ...args: Parameters<DesktopBridge[K]>
) => Promise<IpcResult<BridgeValue<K>>>

/** @returns the bridge the preload exposes on `window.desktop`. */
export function createBridge(invoke: InvokeMethod): DesktopBridge {
  return Object.freeze({
    appInfo: () => invoke('appInfo'),
    saveFile: (request) => invoke('saveFile', request),
    printToPdf: (request) => invoke('printToPdf', request),
    notify: (request) => invoke('notify', request),
    enableNotifications: () => invoke('enableNotifications'),
    loadCredential: () => invoke('loadCredential'),
    storeCredential: (token) => invoke('storeCredential', token),
    clearCredential: () => invoke('clearCredential'),
    deviceKey: (request) => invoke('deviceKey', request),
    createDeviceKey: (request) => invoke('createDeviceKey', request),
    signWithDeviceKey: (request) => invoke('signWithDeviceKey', request),
    forgetDeviceKey: (request) => invoke('forgetDeviceKey', request),
  } satisfies DesktopBridge)
}
