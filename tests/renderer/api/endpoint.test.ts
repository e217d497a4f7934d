/**
 * The relay nodes a client fails over to: learned from the relay's /health answer, remembered on
 * this device, handed to the providers as WebSocket URLs (starting after this relay's own), and
 * used in turn by a provider whose socket closes.
 */
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import {
  otherSyncUrls,
  relayTarget,
  rememberRelayNodes,
  serverOrigin,
  syncUrl,
} from '../../../renderer/src/api/endpoint'
import { failOver } from '../../../renderer/src/collab/relayFailover'

afterEach(() => localStorage.clear())

/** @returns the http origin of the node on `port` of this page's host. */
function nodeAt(port: number): string {
  const own = new URL(serverOrigin())
  return `${own.protocol}//${own.hostname}:${port}`
}

describe('relay nodes', () => {
  test('the other nodes are offered after this relay’s own place in the list, as sync URLs', () => {
    const own = serverOrigin()
    const host = new URL(own).hostname
    rememberRelayNodes([nodeAt(9001), own, nodeAt(9002), nodeAt(9003)])
    expect(otherSyncUrls()).toEqual([
      `ws://${host}:9002/sync`,
      `ws://${host}:9003/sync`,
      `ws://${host}:9001/sync`,
    ])
  })

  test('anything but an http(s) URL is ignored (a URL counts by its origin), and an empty list forgets the nodes', () => {
    const host = new URL(serverOrigin()).hostname
    rememberRelayNodes(['javascript:alert(1)', 42, `${nodeAt(9001)}/path?x=1`, 'not a url'])
    expect(otherSyncUrls()).toEqual([`ws://${host}:9001/sync`])
    rememberRelayNodes('http://elsewhere.example')
    expect(otherSyncUrls()).toEqual([`ws://${host}:9001/sync`])
    rememberRelayNodes([])
    expect(otherSyncUrls()).toEqual([])
    localStorage.setItem('qilu:nodes', '{broken')
    expect(otherSyncUrls()).toEqual([])
  })

  test('sockets go to this relay and fail over to the others, unless the caller names a relay', () => {
    rememberRelayNodes([serverOrigin(), nodeAt(9002)])
    expect(relayTarget()).toEqual({ url: syncUrl(), nodes: otherSyncUrls() })
    expect(relayTarget().nodes).toHaveLength(1)
    expect(relayTarget('ws://elsewhere.example/sync')).toEqual({
      url: 'ws://elsewhere.example/sync',
      nodes: [],
    })
  })

  test('a provider whose socket closes tries the next node in turn, then the first again', () => {
    const provider = new WebsocketProvider('ws://a.example/sync/', 'doc:x', new Y.Doc(), {
      connect: false,
    })
    const stop = failOver(provider, [
      'ws://b.example/sync',
      'ws://a.example/sync',
      'ws://c.example/sync',
    ])
    const seen: string[] = []
    for (let i = 0; i < 4; i++) {
      provider.emit('connection-close', [null, provider])
      seen.push(provider.url)
    }
    expect(seen).toEqual([
      'ws://b.example/sync/doc:x',
      'ws://c.example/sync/doc:x',
      'ws://a.example/sync/doc:x',
      'ws://b.example/sync/doc:x',
    ])
    stop()
    provider.emit('connection-close', [null, provider])
    expect(provider.url).toBe('ws://b.example/sync/doc:x')
    provider.destroy()
  })
})
