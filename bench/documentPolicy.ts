/**
 * Cost of the relay's document policy per update, on a 30,000-character document with its history
 * (gc off, as document rooms keep deleted content): placing the update's structs (what the relay
 * does) against applying it to a scratch copy of the room (the obvious alternative), with the
 * `Y.decodeUpdate` the relay already did before either as the baseline.
 *
 *   npx tsx bench/documentPolicy.ts
 */
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { updateScope } from '../server/extensions/updateScope'
import { judgeUpdate } from '../server/extensions/DocumentPolicyExtension'

const PARAGRAPHS = 300
const CHARS = 100

function buildDocument(): Y.Doc {
  const doc = new Y.Doc({ gc: false })
  const body = doc.getXmlFragment('body')
  for (let p = 0; p < PARAGRAPHS; p++) {
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    body.insert(body.length, [paragraph])
    // Typed one character at a time, with some deletions: a realistic history.
    for (let c = 0; c < CHARS; c++) {
      text.insert(
        text.length,
        '为切实做好今年汛期安全防范工作确保人民群众生命财产安全'[c % 26] ?? '。',
      )
      if (c % 10 === 9) {
        text.delete(text.length - 1, 1)
        text.insert(text.length, '，')
      }
    }
  }
  doc.getMap('meta').set('classification', 'none')
  return doc
}

function time(label: string, runs: number, work: () => void): void {
  for (let i = 0; i < Math.min(20, runs); i++) {
    work()
  }
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(runs / 2)] ?? 0
  const p95 = samples[Math.floor(runs * 0.95)] ?? 0
  console.log(`${label.padEnd(48)} median ${median.toFixed(4)} ms   p95 ${p95.toFixed(4)} ms`)
}

const server = buildDocument()
const client = new Y.Doc()
Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
/** @returns the update a provider would send for `change` (the transaction's own update). */
function captured(change: () => void): Uint8Array {
  let update: Uint8Array = new Uint8Array()
  const listener = (u: Uint8Array) => {
    update = u
  }
  client.on('update', listener)
  change()
  client.off('update', listener)
  return update
}
const middle = client.getXmlFragment('body').get(PARAGRAPHS / 2)
const text = middle instanceof Y.XmlElement ? middle.get(0) : null
const keystroke = captured(() => {
  if (text instanceof Y.XmlText) {
    text.insert(40, '字')
  }
})
const comment = captured(() => {
  client.transact(() => {
    const thread = new Y.Map<unknown>()
    client.getMap('comments').set('t1', thread)
    thread.set('text', '建议补充时限要求')
  })
})
// What a client sends on (re)connect: everything past the relay's state vector, with its whole
// delete set (here 3,000 ranges, every one already applied).
const stepTwo = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))
const snapshot = Y.encodeStateAsUpdate(server)
console.log(
  `document: ${PARAGRAPHS * CHARS} characters, state ${(snapshot.length / 1024).toFixed(0)} KiB`,
)

for (const [name, update, access] of [
  ['editor keystroke in body', keystroke, 'write'],
  ['commenter adds a thread', comment, 'comment'],
  ['commenter sync step 2 on reconnect', stepTwo, 'comment'],
] as const) {
  time(`${name}: Y.decodeUpdate (baseline)`, 2000, () => Y.decodeUpdate(update))
  time(`${name}: decode + place + judge`, 2000, () => {
    judgeUpdate(access, updateScope(server, Y.decodeUpdate(update)))
  })
  time(`${name}: scratch copy + apply`, 50, () => {
    const scratch = new Y.Doc({ gc: false })
    Y.applyUpdate(scratch, snapshot)
    Y.applyUpdate(scratch, update)
    scratch.destroy()
  })
}
