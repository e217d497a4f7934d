/**
 * Wires the security policy (securityPolicy.ts) to Electron: CSP on every response, permission
 * handlers, and per-WebContents guards against navigation, new windows and `<webview>`.
 */
import { shell } from 'electron'
import type { Session, WebContents } from 'electron'
import type { RendererTarget } from './config'
import type { Logger } from './logger'
import { describeError } from './logger'
import {
  buildContentSecurityPolicy,
  decideWindowOpen,
  externalUrlAllowed,
  navigationAllowed,
  permissionAllowed,
  withContentSecurityPolicy,
} from './securityPolicy'

/** Applies the CSP and the permission policy to `session`. */
export function applySessionPolicy(session: Session, target: RendererTarget): void {
  const csp = buildContentSecurityPolicy(target)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) })
  })
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, target.trustedOrigin))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin, target.trustedOrigin),
  )
}

function openExternally(url: string, logger: Logger): void {
  // Checked again here so no caller can hand the OS a file:, smb: or custom-scheme URL.
  if (!externalUrlAllowed(url)) {
    logger.warn('refused to open a link outside the app', { url })
    return
  }
  shell.openExternal(url).catch((error: unknown) => {
    logger.warn('could not open a link in the browser', { url, error: describeError(error) })
  })
}

/**
 * Guards one WebContents (called for every one the app creates): it may navigate only within the
 * trusted origin (http(s) links elsewhere open in the system browser), never opens windows, and
 * never attaches a `<webview>`.
 */
export function hardenWebContents(
  contents: WebContents,
  target: RendererTarget,
  logger: Logger,
): void {
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    logger.warn('refused to attach a webview')
  })
  contents.on('will-navigate', (event) => {
    if (navigationAllowed(event.url, target.trustedOrigin)) {
      return
    }
    event.preventDefault()
    openExternally(event.url, logger)
  })
  contents.on('will-redirect', (event) => {
    if (navigationAllowed(event.url, target.trustedOrigin)) {
      return
    }
    event.preventDefault()
    logger.warn('refused a redirect to another origin', { url: event.url })
  })
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url)
    if (decision.openExternally !== null) {
      openExternally(decision.openExternally, logger)
    }
    return { action: decision.action }
  })
}
