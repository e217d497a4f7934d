/**
 * The main window. It loads the renderer from `RendererTarget.url` (the relay's web client, or the
 * Vite dev server; see config.ts for why not a packaged file) with the renderer fully sandboxed.
 * When the relay cannot be reached it shows a local notice and retries.
 */
import path from 'node:path'
import { BrowserWindow } from 'electron'
import type { RendererTarget } from './config'
import type { Logger } from './logger'
import { describeError } from './logger'

/** The built preload; sandboxed preloads must be CommonJS (electron.vite.config.ts). */
const PRELOAD_PATH = path.join(import.meta.dirname, '../preload/index.cjs')
const RETRY_MS = 5000
/** Chromium's net::ERR_ABORTED: a load replaced by another one, not a failure. */
const ERR_ABORTED = -3

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function offlinePage(origin: string): string {
  const html = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>齐鲁办公</title>
<body style="font-family: sans-serif; margin: 4em; color: #333">
<h1>无法连接到服务器</h1><p>${escapeHtml(origin)}</p><p>正在重试… (Cannot reach the server; retrying.)</p>`
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`
}

/** Loads `url`, and on failure shows the offline notice and tries again every few seconds. */
function loadWithRetry(window: BrowserWindow, target: RendererTarget, logger: Logger): void {
  let retry: NodeJS.Timeout | null = null
  const load = (): void => {
    retry = null
    // The promise also rejects on failure; did-fail-load below is where failures are handled.
    window.loadURL(target.url).catch(() => undefined)
  }
  window.webContents.on(
    'did-fail-load',
    (_event, errorCode, errorDescription, validatedUrl, isMainFrame) => {
      if (
        !isMainFrame ||
        errorCode === ERR_ABORTED ||
        retry !== null ||
        validatedUrl.startsWith('data:')
      ) {
        return
      }
      logger.warn('renderer failed to load', { url: validatedUrl, errorCode, errorDescription })
      window.loadURL(offlinePage(target.trustedOrigin)).catch((error: unknown) => {
        logger.error('offline page failed to load', { error: describeError(error) })
      })
      retry = setTimeout(load, RETRY_MS)
    },
  )
  window.on('closed', () => {
    if (retry !== null) {
      clearTimeout(retry)
    }
  })
  load()
}

/** @returns the main window, loading the renderer; it shows itself once painted. */
export function createMainWindow(target: RendererTarget, logger: Logger): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: '齐鲁办公',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD_PATH,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  loadWithRetry(window, target, logger)
  return window
}

/** Brings `window` to the front (a second launch, a deep link, a notification click). */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) {
    window.restore()
  }
  window.show()
  window.focus()
}

/** Opens `url` (already checked to be on the trusted origin) in `window`. */
export function openInWindow(window: BrowserWindow, url: string, logger: Logger): void {
  window.loadURL(url).catch((error: unknown) => {
    logger.warn('deep link failed to load', { url, error: describeError(error) })
  })
}
