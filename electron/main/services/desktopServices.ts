/**
 * What the main process does for the renderer, behind an interface of our own so the IPC layer can
 * be built and tested without Electron. The Electron-backed implementation is electronServices.ts.
 *
 * Arguments reach a service only after schema validation (ipcHandlers.ts). `C` is the caller: the
 * WebContents in the real app, anything in tests.
 */
import type {
  AppInfo,
  IpcErrorCode,
  NotifyRequest,
  SaveFileRequest,
} from '../../../shared/ipc/contract'

/** The platform services behind the desktop bridge. */
export interface DesktopServices<C> {
  /** @returns facts about the running app. */
  appInfo(): Promise<AppInfo>
  /** Asks where to save through a dialog attached to the caller's window, then writes the file. */
  saveFile(caller: C, request: SaveFileRequest): Promise<{ readonly saved: boolean }>
  /** @returns the caller's page rendered to an A4 PDF. */
  printToPdf(
    caller: C,
    request: { readonly title: string },
  ): Promise<{ readonly data: Uint8Array | null }>
  /**
   * Shows a system notification; clicking it brings the caller's window forward and opens the
   * request's route in it (notificationClick.ts).
   */
  notify(caller: C, request: NotifyRequest): Promise<void>
  /** @returns whether notifications can be shown (the desktop needs no permission). */
  enableNotifications(): Promise<{ readonly granted: boolean }>
  /** @returns the remembered session token, or null. */
  loadCredential(): Promise<string | null>
  /** Remembers the session token, encrypted by the OS. */
  storeCredential(token: string): Promise<void>
  /** Forgets the session token. */
  clearCredential(): Promise<void>
  /** @returns the public key of this device's SM2 key for the account, or null. */
  deviceKey(account: string): Promise<string | null>
  /** @returns the public key of the account's device key, made now if there is none. */
  createDeviceKey(account: string): Promise<string>
  /** @returns the signature (SM2, SM3, DER hex) of `data` by the account's device key. */
  signWithDeviceKey(account: string, data: Uint8Array): Promise<string>
  /** Forgets the account's device key. */
  forgetDeviceKey(account: string): Promise<void>
}

/** A failure a service reports to the renderer with a specific code (anything else is `failed`). */
export class ServiceFailure extends Error {
  /**
   * @param code the code the renderer receives
   * @param message detail for the main process log only
   */
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ServiceFailure'
  }
}
