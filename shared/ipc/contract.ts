/**
 * The typed IPC contract between the Electron main process and the renderer, and the
 * `DesktopBridge` facade the renderer uses for everything platform-specific. The preload implements
 * the bridge over IPC; the web build implements the same interface with browser APIs.
 *
 * Errors crossing IPC lose everything but a message, so every call resolves to an `IpcResult`.
 *
 * @example
 *   const result = await bridge.saveFile({ suggestedName: '通知.docx', mimeType, data })
 *   if (!result.ok) showError(result.code)
 */

/** Error codes a bridge call can return. */
export type IpcErrorCode =
  /** The arguments did not pass validation. */
  | 'invalid_arguments'
  /** The message came from a frame the main process does not trust. */
  | 'untrusted_sender'
  /** The user cancelled a dialog. */
  | 'cancelled'
  /** The platform cannot do this (e.g. no secure storage). */
  | 'unsupported'
  /** Anything else; details are in the main process log. */
  | 'failed'

/** The result of every bridge call. */
export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: IpcErrorCode }

/** A file the user saves (export). */
export interface SaveFileRequest {
  readonly suggestedName: string
  readonly mimeType: string
  readonly data: Uint8Array
}

/** A desktop notification. */
export interface NotifyRequest {
  readonly title: string
  readonly body: string
  /**
   * The page clicking it opens (after bringing the window forward), e.g. `/approvals/42`: a route
   * of the client (appRoute.ts), never a URL.
   */
  readonly route?: string
}

/** Facts about the running client. */
export interface AppInfo {
  readonly kind: 'desktop' | 'web'
  readonly version: string
}

/** Which account's device key (one SM2 key pair per account on each device). */
export interface DeviceKeyRequest {
  /** The account's id. */
  readonly account: string
}

/** Bytes to sign with an account's device key (the canonical bytes of an approval action). */
export interface DeviceSignRequest extends DeviceKeyRequest {
  readonly data: Uint8Array
}

/** Everything the renderer may ask of its platform. */
export interface DesktopBridge {
  /** @returns facts about the client. */
  appInfo(): Promise<IpcResult<AppInfo>>
  /** Saves bytes through a save dialog (desktop) or a download (web). */
  saveFile(request: SaveFileRequest): Promise<IpcResult<{ readonly saved: boolean }>>
  /** Renders the current window (desktop) or page (web) to PDF or the print dialog. */
  printToPdf(request: {
    readonly title: string
  }): Promise<IpcResult<{ readonly data: Uint8Array | null }>>
  /**
   * Shows a system notification; clicking it brings the window forward and opens `route`. Never
   * asks for permission itself: without it the result is `cancelled`.
   */
  notify(request: NotifyRequest): Promise<IpcResult<null>>
  /**
   * Asks for permission to show notifications. In a browser call it from a user gesture (a click
   * handler) only: browsers ignore, and remember against the site, a request made otherwise.
   * @returns whether notifications may be shown
   */
  enableNotifications(): Promise<IpcResult<{ readonly granted: boolean }>>
  /** Reads the remembered session token (OS keychain on desktop). */
  loadCredential(): Promise<IpcResult<string | null>>
  /** Remembers the session token. */
  storeCredential(token: string): Promise<IpcResult<null>>
  /** Forgets the session token. */
  clearCredential(): Promise<IpcResult<null>>
  /**
   * @returns the public key (`04` + 128 hex digits) of this device's SM2 key for the account, or
   *   null when it has none. The private key never leaves the platform: on the desktop the main
   *   process keeps it encrypted by the OS key store and signs; in a browser it sits in IndexedDB.
   */
  deviceKey(request: DeviceKeyRequest): Promise<IpcResult<{ readonly publicKey: string } | null>>
  /** Makes this device's SM2 key for the account (or returns the one it has). */
  createDeviceKey(request: DeviceKeyRequest): Promise<IpcResult<{ readonly publicKey: string }>>
  /** Signs bytes with the account's device key: SM2 with SM3, DER, hex (DESIGN.md §7). */
  signWithDeviceKey(request: DeviceSignRequest): Promise<IpcResult<{ readonly signature: string }>>
  /** Forgets the account's device key (after the key was revoked, or at the user's request). */
  forgetDeviceKey(request: DeviceKeyRequest): Promise<IpcResult<null>>
}

/** The IPC channel of each bridge method; one channel per method, invoked with ipcRenderer.invoke. */
export const IPC_CHANNELS = {
  appInfo: 'qilu:app-info',
  saveFile: 'qilu:save-file',
  printToPdf: 'qilu:print-to-pdf',
  notify: 'qilu:notify',
  enableNotifications: 'qilu:notifications-enable',
  loadCredential: 'qilu:credential-load',
  storeCredential: 'qilu:credential-store',
  clearCredential: 'qilu:credential-clear',
  deviceKey: 'qilu:device-key',
  createDeviceKey: 'qilu:device-key-create',
  signWithDeviceKey: 'qilu:device-key-sign',
  forgetDeviceKey: 'qilu:device-key-forget',
} as const satisfies Record<keyof DesktopBridge, string>

/**
 * The one message the main process sends to the page (not a bridge method): open a route, after a
 * notification was clicked. The preload checks the route again and hands it to the page.
 */
export const NAVIGATE_CHANNEL = 'qilu:navigate'

/** The name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'desktop'
