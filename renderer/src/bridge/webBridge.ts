/**
 * The DesktopBridge of the web build: downloads instead of save dialogs, the print dialog instead
 * of print-to-PDF, the Notification API, localStorage for the session token (a browser has no
 * keychain; the token is a revocable session, not a password), and IndexedDB for the approval
 * signing keys (webDeviceKeys.ts).
 */
import type {
  AppInfo,
  DesktopBridge,
  IpcResult,
  NotifyRequest,
  SaveFileRequest,
} from '../../../shared/ipc/contract'
import { NAVIGATE_EVENT, openRoute } from '../../../shared/ipc/appRoute'
import { WebDeviceKeys, indexedDbShelf } from './webDeviceKeys'

const CREDENTIAL_KEY = 'qilu:token'

function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value }
}

function failed<T>(code: 'unsupported' | 'failed' | 'cancelled'): IpcResult<T> {
  return { ok: false, code }
}

/**
 * Creates the browser implementation of the bridge.
 * @param storage where the session token is remembered
 * @param keys the device keys (IndexedDB of this profile unless given)
 */
export function createWebBridge(
  storage: Storage = localStorage,
  keys: WebDeviceKeys = new WebDeviceKeys(indexedDbShelf()),
): DesktopBridge {
  const guarded = async <T>(work: () => Promise<T>): Promise<IpcResult<T>> => {
    try {
      return ok(await work())
    } catch {
      return failed('failed')
    }
  }
  return {
    async appInfo(): Promise<IpcResult<AppInfo>> {
      return ok({ kind: 'web', version: import.meta.env.VITE_APP_VERSION ?? '0.1.0' })
    },

    async saveFile(request: SaveFileRequest): Promise<IpcResult<{ readonly saved: boolean }>> {
      try {
        // Copy into a fresh ArrayBuffer: Blob wants ArrayBuffer-backed views, not SharedArrayBuffer.
        const blob = new Blob([new Uint8Array(request.data)], { type: request.mimeType })
        const url = URL.createObjectURL(blob)
        const anchor = document.createElement('a')
        anchor.href = url
        anchor.download = request.suggestedName
        anchor.rel = 'noopener'
        document.body.appendChild(anchor)
        anchor.click()
        anchor.remove()
        // Revoke later: some browsers read the blob after click() returns.
        setTimeout(() => URL.revokeObjectURL(url), 10_000)
        return ok({ saved: true })
      } catch {
        return failed('failed')
      }
    },

    async printToPdf(request: {
      readonly title: string
    }): Promise<IpcResult<{ readonly data: Uint8Array | null }>> {
      const previous = document.title
      document.title = request.title
      try {
        window.print()
      } finally {
        document.title = previous
      }
      // The browser's print dialog produces the PDF itself; no bytes come back.
      return ok({ data: null })
    },

    async notify(request: NotifyRequest): Promise<IpcResult<null>> {
      if (typeof Notification === 'undefined') {
        return failed('unsupported')
      }
      // Never ask here: notify runs on events from the relay, not on a user gesture, and browsers
      // ignore (and hold against the site) a permission request made outside one.
      if (Notification.permission !== 'granted') {
        return failed('cancelled')
      }
      const notification = new Notification(request.title, { body: request.body })
      const { route } = request
      notification.onclick = () => {
        notification.close()
        window.focus()
        if (route !== undefined) {
          openRoute(route, {
            offer: (target) =>
              !window.dispatchEvent(
                new CustomEvent(NAVIGATE_EVENT, { detail: target, cancelable: true }),
              ),
            load: (target) => window.location.assign(target),
          })
        }
      }
      return ok(null)
    },

    async enableNotifications(): Promise<IpcResult<{ readonly granted: boolean }>> {
      if (typeof Notification === 'undefined') {
        return failed('unsupported')
      }
      // Called from a click handler (the contract says so): the one place a browser lets us ask.
      const permission =
        Notification.permission === 'default'
          ? await Notification.requestPermission()
          : Notification.permission
      return ok({ granted: permission === 'granted' })
    },

    async loadCredential(): Promise<IpcResult<string | null>> {
      return ok(storage.getItem(CREDENTIAL_KEY))
    },

    async storeCredential(token: string): Promise<IpcResult<null>> {
      storage.setItem(CREDENTIAL_KEY, token)
      return ok(null)
    },

    async clearCredential(): Promise<IpcResult<null>> {
      storage.removeItem(CREDENTIAL_KEY)
      return ok(null)
    },

    deviceKey: ({ account }) =>
      guarded(async () => {
        const pair = await keys.load(account)
        return pair === null ? null : { publicKey: pair.publicKey }
      }),

    createDeviceKey: ({ account }) =>
      guarded(async () => ({ publicKey: await keys.create(account) })),

    async signWithDeviceKey({ account, data }) {
      const signed = await guarded(() => keys.sign(account, data))
      if (!signed.ok) {
        return signed
      }
      return signed.value === null ? failed('failed') : ok({ signature: signed.value })
    },

    forgetDeviceKey: ({ account }) =>
      guarded(async () => {
        await keys.forget(account)
        return null
      }),
  }
}
