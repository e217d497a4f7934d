/**
 * The preload: exposes the `DesktopBridge` on `window.desktop` through contextBridge. The only module
 * that touches `ipcRenderer` (enforced by the lint config); the raw object never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_GLOBAL, IPC_CHANNELS } from '../../shared/ipc/contract'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge((method, ...args) => ipcRenderer.invoke(IPC_CHANNELS[method], ...args)),
)
