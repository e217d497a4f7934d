/**
 * A relay in a worker thread for the durable-acknowledgement benchmark: `startTestRelay` with the
 * persistence settings it is given, so two relays with different settings run side by side, each
 * on an event loop of its own, while the clients run in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { startTestRelay } from '../../tests/utils/relay'
import type { TestRelayOptions } from '../../tests/utils/relay'

/** What the worker is started with. */
export interface DurableRelayWorkerData {
  readonly databaseUrl: string | null
  readonly persistence: NonNullable<TestRelayOptions['persistence']>
}

/** Messages from the worker. */
export type DurableRelayReply = { readonly url: string } | { readonly closed: true }

function isWorkerData(value: unknown): value is DurableRelayWorkerData {
  return typeof value === 'object' && value !== null && 'persistence' in value
}

if (parentPort === null || !isWorkerData(workerData)) {
  throw new Error('durableRelayWorker must run as a worker thread')
}
const port = parentPort
const relay = await startTestRelay({
  databaseUrl: workerData.databaseUrl,
  persistence: workerData.persistence,
  unloadDelayMs: 60_000,
})
port.postMessage({ url: relay.url } satisfies DurableRelayReply)
port.on('message', () => {
  void relay.close().then(() => {
    port.postMessage({ closed: true } satisfies DurableRelayReply)
    port.close()
  })
})
