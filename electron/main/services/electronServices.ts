/** The `DesktopServices` of the real app, over Electron's dialog, printing, notification and storage. */
import fs from 'node:fs/promises'
import path from 'node:path'
import { app, BrowserWindow, dialog, Notification } from 'electron'
import type { SaveDialogOptions, WebContents } from 'electron'
import type { Logger } from '../logger'
import { CredentialStore } from './CredentialStore'
import { DeviceKeyStore } from './DeviceKeyStore'
import type { SecretCipher } from './CredentialStore'
import type { DesktopServices } from './desktopServices'
import { ServiceFailure } from './desktopServices'
import { openFromNotification } from './notificationClick'

/** The name of the encrypted token file in the user data folder. */
export const CREDENTIAL_FILE = 'credentials.bin'
/** The folder of the device's approval signing keys, under the user data folder. */
export const DEVICE_KEY_FOLDER = 'device-keys'

function saveDialogOptions(suggestedName: string): SaveDialogOptions {
  const extension = path.extname(suggestedName).slice(1)
  const filters =
    extension === '' ? [] : [{ name: extension.toUpperCase(), extensions: [extension] }]
  return {
    // The name was validated to hold no separators, so the default stays in the documents folder.
    defaultPath: path.join(app.getPath('documents'), suggestedName),
    filters: [...filters, { name: '所有文件 (All files)', extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  }
}

/**
 * @param options.userDataDir the folder for the credential file (`app.getPath('userData')`)
 * @param options.cipher the OS-backed cipher for the credential file
 * @returns the services the IPC handlers call.
 */
export function createElectronServices(options: {
  readonly userDataDir: string
  readonly cipher: SecretCipher
  readonly logger: Logger
}): DesktopServices<WebContents> {
  const credentials = new CredentialStore(
    path.join(options.userDataDir, CREDENTIAL_FILE),
    options.cipher,
    options.logger,
  )
  const deviceKeys = new DeviceKeyStore(
    path.join(options.userDataDir, DEVICE_KEY_FOLDER),
    options.cipher,
    options.logger,
  )
  // A notification that is garbage-collected loses its click handler; hold it until it is done.
  const shown = new Set<Notification>()

  return {
    async appInfo() {
      return { kind: 'desktop', version: app.getVersion() }
    },

    async saveFile(caller, request) {
      const window = BrowserWindow.fromWebContents(caller)
      const dialogOptions = saveDialogOptions(request.suggestedName)
      const choice = window
        ? await dialog.showSaveDialog(window, dialogOptions)
        : await dialog.showSaveDialog(dialogOptions)
      // Cancelling is an answer, not an error: the contract's `saved: false`.
      if (choice.canceled || choice.filePath === undefined || choice.filePath === '') {
        return { saved: false }
      }
      await fs.writeFile(choice.filePath, request.data)
      return { saved: true }
    },

    async printToPdf(caller) {
      // GB/T 9704 sets A4 with its own margins; the renderer's @page rule carries them.
      const pdf = await caller.printToPDF({
        pageSize: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
      })
      return { data: new Uint8Array(pdf) }
    },

    async enableNotifications() {
      // The desktop shows notifications without asking; the OS settings may still silence them.
      return { granted: Notification.isSupported() }
    },

    async notify(caller, request) {
      if (!Notification.isSupported()) {
        throw new ServiceFailure('unsupported', 'notifications are not supported here')
      }
      const notification = new Notification({ title: request.title, body: request.body })
      const release = (): void => {
        shown.delete(notification)
      }
      notification.on('click', () => {
        release()
        const window = caller.isDestroyed() ? null : BrowserWindow.fromWebContents(caller)
        openFromNotification(window, request.route)
      })
      notification.on('close', release)
      notification.on('failed', release)
      shown.add(notification)
      notification.show()
    },

    loadCredential: () => credentials.load(),
    storeCredential: (token) => credentials.store(token),
    clearCredential: () => credentials.clear(),
    deviceKey: async (account) => (await deviceKeys.load(account))?.publicKey ?? null,
    createDeviceKey: (account) => deviceKeys.create(account),
    signWithDeviceKey: (account, data) => deviceKeys.sign(account, data),
    forgetDeviceKey: (account) => deviceKeys.forget(account),
  }
}
