/**
 * Registers the IPC handlers on their channels: the only module that touches `ipcMain`
 * (enforced by the lint config). The logic lives in ipcHandlers.ts.
 */
import { ipcMain } from 'electron'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_CHANNELS } from '../../shared/ipc/contract'
import { createIpcHandlers, isBridgeMethod } from './ipcHandlers'
import type { Logger } from './logger'
import type { SenderFrame } from './securityPolicy'
import type { DesktopServices } from './services/desktopServices'

function senderFrameOf(event: IpcMainInvokeEvent): SenderFrame | null {
  // senderFrame is null once the frame has navigated away or been destroyed; such a call is refused.
  const frame = event.senderFrame
  if (frame === null) {
    return null
  }
  return { url: frame.url, isMainFrame: frame.parent === null }
}

/** Registers one handler per IPC_CHANNELS entry, all checked against `trustedOrigin`. */
export function registerIpcHandlers(
  services: DesktopServices<WebContents>,
  options: { readonly trustedOrigin: string; readonly logger: Logger },
): void {
  const handlers = createIpcHandlers(services, options)
  for (const [method, channel] of Object.entries(IPC_CHANNELS)) {
    if (!isBridgeMethod(method)) {
      continue
    }
    const handler = handlers[method]
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      handler(event.sender, senderFrameOf(event), args),
    )
  }
}
