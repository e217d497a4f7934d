/**
 * The preload: exposes the `DesktopBridge` on `window.desktop` through contextBridge. The only module
 * that touches `ipcRenderer` (enforced by the lint config); the raw object never reaches the page.
 * It also takes the main process's one message, NAVIGATE_CHANNEL (a clicked notification's route),
 * checks the route again and hands it to the page.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_GLOBAL, IPC_CHANNELS, NAVIGATE_CHANNEL } from '../../shared/ipc/contract'
import { openRoute } from '../../shared/ipc/appRoute'
import { createBridge } from './bridge'
import { windowPage } from './pageRoute'

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge((method, ...args) => ipcRenderer.invoke(IPC_CHANNELS[method], ...args)),
)

ipcRenderer.on(NAVIGATE_CHANNEL, (_event, route: unknown) => {
  openRoute(route, windowPage(window))
})
