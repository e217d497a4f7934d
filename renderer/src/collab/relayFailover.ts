/**
 * Failing over between the relay nodes of one deployment (issue 23). Any node serves any room (they
 * share the database and Redis), so a provider whose socket closes tries the next node: the
 * provider's own back-off (y-websocket: 100 ms after a lost connection, doubling with each failed
 * attempt up to its `maxBackoffTime`) spaces the attempts, and each attempt goes to the next node
 * in turn. On the new node the usual sync exchange sends what this device holds and the relay does
 * not — edits made while no node answered included — so nothing local is lost.
 *
 * y-websocket 2.1 builds each attempt's address from its public `serverUrl` (the `url` getter),
 * read when the reconnect fires, after the close event this listens to.
 *
 * @example
 *   const detach = failOver(provider, ['wss://oa2.example.gov.cn/sync'])
 *   // on destroy: detach()
 */
import type { WebsocketProvider } from 'y-websocket'

/** @returns `url` without trailing slashes (as y-websocket keeps its `serverUrl`). */
function trimmed(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * Makes `provider` reconnect to the next of its own URL and `others` whenever its socket closes.
 * @param others WebSocket base URLs of the other nodes (`ws[s]://host/sync`); duplicates of the
 *   provider's own URL are ignored
 * @returns a function that stops it
 */
export function failOver(provider: WebsocketProvider, others: readonly string[]): () => void {
  const urls = [...new Set([trimmed(provider.serverUrl), ...others.map(trimmed)])]
  if (urls.length < 2) {
    return () => undefined
  }
  let at = 0
  const onClose = (): void => {
    at = (at + 1) % urls.length
    provider.serverUrl = urls[at] ?? provider.serverUrl
  }
  provider.on('connection-close', onClose)
  return () => provider.off('connection-close', onClose)
}
