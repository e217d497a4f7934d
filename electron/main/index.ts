/**
 * The main process's lifecycle: one instance per user, the `qilu://` protocol, security policy and
 * IPC set up before the first window, and the usual quit rules. Everything else is delegated.
 */
import path from 'node:path'
import { app, BrowserWindow, session } from 'electron'
import { resolveRendererTarget } from './config'
import { DEEP_LINK_SCHEME, deepLinkTarget, findDeepLink } from './deepLink'
import { registerIpcHandlers } from './ipc'
import { describeError, logger } from './logger'
import { applySessionPolicy, hardenWebContents } from './security'
import { createElectronServices } from './services/electronServices'
import { createSafeStorageCipher } from './services/safeStorageCipher'
import { createMainWindow, openInWindow, revealWindow } from './window'

const APP_USER_MODEL_ID = 'gov.shandong.qiludesk'

const target = resolveRendererTarget(process.env)
let mainWindow: BrowserWindow | null = null
// A link that arrived before the window existed (first launch through a link, macOS open-url).
let pendingLink: string | null = findDeepLink(process.argv)

function registerProtocol(): void {
  // Unpackaged (`electron .`), the OS must start Electron with the app's path as first argument.
  const registered =
    process.defaultApp && process.argv[1] !== undefined
      ? app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [
          path.resolve(process.argv[1]),
        ])
      : app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
  if (!registered) {
    logger.warn('could not register the deep link protocol', { scheme: DEEP_LINK_SCHEME })
  }
}

function openWindow(link: string | null): void {
  const url = link === null ? null : deepLinkTarget(link, target.trustedOrigin)
  if (link !== null && url === null) {
    logger.warn('ignored a malformed deep link', { link })
  }
  if (mainWindow === null || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(url === null ? target : { ...target, url }, logger)
    mainWindow.on('closed', () => {
      mainWindow = null
    })
    return
  }
  if (url !== null) {
    openInWindow(mainWindow, url, logger)
  }
  revealWindow(mainWindow)
}

function handleLink(link: string | null): void {
  if (!app.isReady()) {
    pendingLink = link ?? pendingLink
    return
  }
  openWindow(link)
}

// Every renderer sandboxed, whatever a BrowserWindow asks for.
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // The first instance receives our argv (and any deep link) through 'second-instance'.
  app.quit()
} else {
  app.setAppUserModelId(APP_USER_MODEL_ID)
  registerProtocol()

  app.on('second-instance', (_event, argv) => handleLink(findDeepLink(argv)))
  app.on('open-url', (event, url) => {
    event.preventDefault()
    handleLink(url)
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, target, logger))

  app
    .whenReady()
    .then(() => {
      applySessionPolicy(session.defaultSession, target)
      registerIpcHandlers(
        createElectronServices({
          userDataDir: app.getPath('userData'),
          cipher: createSafeStorageCipher(),
          logger,
        }),
        { trustedOrigin: target.trustedOrigin, logger },
      )
      logger.info('starting', { url: target.url, dev: target.dev, version: app.getVersion() })
      const link = pendingLink
      pendingLink = null
      openWindow(link)
    })
    .catch((error: unknown) => {
      logger.error('start-up failed', { error: describeError(error) })
      app.exit(1)
    })

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open creates one.
    if (BrowserWindow.getAllWindows().length === 0) {
      openWindow(null)
    }
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit()
    }
  })
}
