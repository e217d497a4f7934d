/**
 * `window.desktop`: present in the Electron app (see index.ts), absent in a browser. The renderer
 * does not include this file; it reaches the platform through its own bridge module, which picks
 * this object or the web implementation of the same `DesktopBridge`.
 */
import type { DesktopBridge } from '../../shared/ipc/contract'

declare global {
  interface Window {
    /** The desktop bridge, exposed by the preload under BRIDGE_GLOBAL. */
    desktop?: DesktopBridge
  }
}

export {}
