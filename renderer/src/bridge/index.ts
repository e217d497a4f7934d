/** The platform bridge: the Electron preload's `window.desktop` when present, else the web one. */
import type { DesktopBridge } from '../../../shared/ipc/contract'
import { BRIDGE_GLOBAL } from '../../../shared/ipc/contract'
import { createWebBridge } from './webBridge'

let bridge: DesktopBridge | null = null

function isBridge(value: unknown): value is DesktopBridge {
  return (
    typeof value === 'object' &&
    value !== null &&
    'loadCredential' in value &&
    typeof value.loadCredential === 'function'
  )
}

/** @returns the object the preload exposed, if this renderer runs inside the desktop shell. */
function desktopBridge(): DesktopBridge | null {
  const exposed: unknown = Reflect.get(window, BRIDGE_GLOBAL)
  return isBridge(exposed) ? exposed : null
}

/** @returns whether the renderer runs inside the Electron shell. */
export function isDesktop(): boolean {
  return desktopBridge() !== null
}

/** @returns the bridge of this platform (created once). */
export function getBridge(): DesktopBridge {
  bridge ??= desktopBridge() ?? createWebBridge()
  return bridge
}
