/**
 * A relay with no services behind it, on port 0 of 127.0.0.1: the extensions a test gives it and
 * an open door (every token an editor named after it). For tests of the relay's own seams.
 *
 * @example
 *   const bare = await startBareRelay([new OpenDoor(), witness], 100)
 *   const client = connect(bare.wsUrl, 'doc:x', 'alice')
 *   await bare.stop([client])
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Relay } from '../../server/relay/Relay'
import type { ConnectionIdentity, UpgradeRequest } from '../../server/relay/identity'
import type { Extension } from '../../server/relay/hooks'
import { createLogger } from '../../server/logger'
import type { Client } from './yclient'

/** Lets every token in as an editor named after it. */
export class OpenDoor implements Extension {
  readonly name = 'open-door'
  constructor(readonly priority?: number) {}

  async onAuthenticate(request: UpgradeRequest): Promise<ConnectionIdentity> {
    return {
      userId: request.token,
      username: request.token,
      displayName: request.token,
      roles: [],
      tokenHash: request.token,
      access: 'write',
    }
  }
}

/** A running bare relay. */
export interface BareRelay {
  readonly relay: Relay
  /** The sync endpoint: `ws://127.0.0.1:<port>/sync`. */
  readonly wsUrl: string
  /** Ends the clients, the relay (every room unloaded through the extensions) and the server. */
  stop(clients: readonly Client[]): Promise<void>
}

/** @param unloadDelayMs how long a room without sockets stays loaded */
export async function startBareRelay(
  extensions: readonly Extension[],
  unloadDelayMs: number,
): Promise<BareRelay> {
  const relay = new Relay(extensions, createLogger({ quiet: true }), {
    unloadDelayMs,
    pingIntervalMs: 30_000,
  })
  const server = http.createServer()
  server.on('upgrade', (request, socket, head: Buffer) =>
    relay.handleUpgrade(request, socket, head),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    relay,
    wsUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync`,
    stop: async (clients) => {
      for (const client of clients) {
        client.destroy()
      }
      await relay.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
