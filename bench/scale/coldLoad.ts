/**
 * Cold loads of large documents, with another room's update latency measured meanwhile.
 *
 * - Ours: the documents are stored in the relay's data folder (storage API, relay stopped) before
 *   it starts; a reader with a real token opens each, and the relay loads it from storage.
 * - The peers keep nothing: a reader joins the empty room, then a loader client brings the
 *   document (its sync step 2 carries all of it, which the server decodes, applies and forwards to
 *   the reader). Both run in this thread.
 *
 * A load is complete when the reader holds the whole text. The other room sends `probeRate`
 * updates/s throughout, from the load worker.
 */
import * as Y from 'yjs'
import { summarize } from '../lib/stats'
import { ms, progress } from '../lib/report'
import type { LoadClients } from './LoadClients'
import { seedRooms } from '../../tests/utils/seedRooms'
import { bigDocument, roomPlans } from './documents'
import type { ScaleOptions } from './options'
import { SyncClient } from './SyncClient'
import type { RunningServer, ServerLauncher } from './servers'
import { middle, sleep } from './scenarios'

/** One size's load. */
export interface ColdLoad {
  readonly bytes: number
  /** From the reader's connect until it has the whole document (ms). */
  readonly loadMs: number
  /** The other room's latencies of updates sent during the load. */
  readonly duringP99: number
  readonly duringMax: number
  /** The other room's median latency outside the load. */
  readonly baselineP50: number
}

const LEAD_MS = 500

async function untilLength(client: SyncClient, length: number, what: string): Promise<void> {
  const deadline = performance.now() + 120_000
  while (client.text.length < length) {
    if (client.refused !== null) {
      throw new Error(`${what}: refused ${client.refused}`)
    }
    if (performance.now() > deadline) {
      throw new Error(`${what}: ${client.text.length} of ${length} characters after 120 s`)
    }
    await sleep(2)
  }
}

/**
 * @returns the loads, and the server now running (ours was restarted on the seeded data folder)
 */
export async function coldScenario(
  clients: LoadClients,
  running: RunningServer,
  launch: ServerLauncher,
  options: ScaleOptions,
): Promise<{ loads: ColdLoad[]; server: RunningServer }> {
  const sizes = options.cold.sizes
  const docs = sizes.map((bytes) => ({ bytes, ...bigDocument(bytes) }))
  const [probe, ...big] = await roomPlans(running, 'cold', 1 + sizes.length, 2)
  if (probe === undefined) {
    throw new Error('no probe room')
  }
  let server = running
  if (server.spec.name === 'ours') {
    if (launch.dataDir === null) {
      throw new Error('our relay has no data folder')
    }
    await server.stop()
    await seedRooms(
      launch.dataDir,
      big.map((plan, i) => ({ name: plan.name, update: docs[i]?.update ?? new Uint8Array() })),
    )
    server = await launch.start()
  }
  await clients.connect({
    group: 'cold',
    dialect: server.spec.dialect,
    url: server.wsUrl,
    rooms: [probe],
    timeoutMs: 60_000,
  })
  const loads: ColdLoad[] = []
  for (const [i, doc] of docs.entries()) {
    const plan = big[i]
    if (plan === undefined) {
      continue
    }
    const rate = options.cold.probeRate
    // Longer than the slowest load seen in trials (16 MB: 35 s on a machine at load average 20);
    // the rest of the window is the baseline.
    const durationMs = 8000 + doc.bytes / 400
    const window = clients.round({ group: 'cold', rate, durationMs, graceMs: 2000 })
    await sleep(LEAD_MS)
    const target = { dialect: server.spec.dialect, url: server.wsUrl, room: plan.name }
    const started = performance.timeOrigin + performance.now()
    // Peers: the reader joins the empty room first, then the loader brings the document, which
    // the server applies and forwards. Ours: the reader's join makes the relay load it from storage.
    const reader = new SyncClient({ ...target, token: plan.tokens[0] ?? null })
    reader.connect()
    let loader: SyncClient | null = null
    if (server.spec.name !== 'ours') {
      while (!reader.isSynced) {
        await sleep(2)
      }
      const source = new Y.Doc()
      Y.applyUpdate(source, doc.update)
      loader = new SyncClient({ ...target, token: null }, null, source)
      loader.connect()
    }
    await untilLength(reader, doc.length, `${server.spec.name} ${doc.bytes} B`)
    const ended = performance.timeOrigin + performance.now()
    reader.close()
    loader?.close()
    const result = await window
    const during: number[] = []
    const outside: number[] = []
    result.sentAt.forEach((sentAt, k) => {
      const latency = result.latencies[k] ?? Number.NaN
      // An update is delayed by the load if it was sent during it or was still in flight when it began.
      ;(sentAt + latency >= started && sentAt <= ended ? during : outside).push(latency)
    })
    const duringSummary = summarize(during)
    const load: ColdLoad = {
      bytes: doc.bytes,
      loadMs: ended - started,
      duringP99: duringSummary.p99,
      duringMax: duringSummary.max,
      baselineP50: middle(outside),
    }
    progress(
      `scale: ${server.spec.name} cold ${doc.bytes} B in ${ms(load.loadMs)}; other room during: ` +
        `p99 ${ms(load.duringP99)}, max ${ms(load.duringMax)} (p50 outside ${ms(load.baselineP50)})`,
    )
    loads.push(load)
  }
  await clients.close('cold')
  return { loads, server }
}
