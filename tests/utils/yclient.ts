/** Stock y-websocket providers in Node, and waiting helpers for tests. */
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

/** A Y.Doc connected to a relay room with the stock provider. */
export interface Client {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  /** Close codes seen by this provider, in order. */
  readonly closeCodes: number[]
  destroy(): void
}

/** Connects a stock WebsocketProvider (the one the renderer uses) to `room`. */
export function connect(
  wsUrl: string,
  room: string,
  token: string | null,
  doc = new Y.Doc(),
): Client {
  const closeCodes: number[] = []
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === null ? {} : { token },
    disableBc: true,
    maxBackoffTime: 300,
  })
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event !== null) {
      closeCodes.push(event.code)
    }
  })
  return {
    doc,
    provider,
    closeCodes,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Waits until `check` holds, polling every 20 ms. @throws after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Waits until the provider has finished its first sync. */
export function synced(client: Client, timeoutMs = 5000): Promise<void> {
  return waitFor(() => client.provider.synced, 'sync', timeoutMs)
}

/** @returns the text of the shared `text` type used by protocol tests. */
export function text(client: Client): string {
  return client.doc.getText('text').toString()
}

/** Opens a raw WebSocket; resolves when open or rejects with the close code. */
export function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    socket.once('open', () => resolve(socket))
    socket.once('close', (code) => reject(new Error(`closed ${code}`)))
    socket.once('error', reject)
  })
}

/** Resolves with the close code of a socket. */
export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve(-1)
      return
    }
    socket.once('close', (code) => resolve(code))
  })
}
