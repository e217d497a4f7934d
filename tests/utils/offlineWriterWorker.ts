/**
 * A drafter's device in a worker thread: a stock y-websocket provider that syncs a room, goes
 * offline, writes about `bytes` of body text, and reconnects when told. Its own encoding work runs
 * on this thread, so the relay's thread (the test's main thread) is measured alone.
 *
 * Messages to the parent: `{ kind: 'offline', size }` once the offline work is written,
 * `{ kind: 'synced', closeCodes }` once the provider is connected and synced again.
 * The parent sends `'reconnect'`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import * as Y from 'yjs'
import { connect, synced, waitFor } from './yclient'

interface WriterData {
  readonly wsUrl: string
  readonly room: string
  readonly token: string
  readonly bytes: number
}

const SENTENCE = '为切实做好今年汛期安全防范工作，确保人民群众生命财产安全，现将有关事项通知如下。'

function isWriterData(value: unknown): value is WriterData {
  return typeof value === 'object' && value !== null && 'wsUrl' in value && 'bytes' in value
}

if (parentPort === null || !isWriterData(workerData)) {
  throw new Error('offlineWriterWorker runs as a worker with WriterData')
}
const port = parentPort
const { wsUrl, room, token, bytes } = workerData
const client = connect(wsUrl, room, token)
await synced(client, 10_000)
client.provider.disconnect()

// Typed offline a few characters at a time with some bold runs: many structs, as real typing makes.
const body = client.doc.getXmlFragment('body')
let size = 0
let paragraphs = 0
client.doc.on('update', (update: Uint8Array) => {
  size += update.length
})
while (size < bytes) {
  client.doc.transact(() => {
    for (let p = 0; p < 40; p++) {
      const text = new Y.XmlText()
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [text])
      body.insert(body.length, [paragraph])
      for (let c = 0; c < SENTENCE.length; c += 4) {
        text.insert(text.length, SENTENCE.slice(c, c + 4), c % 12 === 0 ? { bold: true } : {})
      }
      paragraphs++
    }
  })
}
size = Y.encodeStateAsUpdate(client.doc).length
port.postMessage({ kind: 'offline', size, paragraphs })

port.once('message', () => {
  client.provider.connect()
  void waitFor(() => client.provider.wsconnected && client.provider.synced, 'resync', 60_000).then(
    () => port.postMessage({ kind: 'synced', closeCodes: client.closeCodes }),
    (error: unknown) =>
      port.postMessage({ kind: 'failed', error: String(error), closeCodes: client.closeCodes }),
  )
})
