/**
 * Cost of the relay's document policy per update, before and after issue 17, side by side:
 *
 * - before (commit 120dfa6): `Y.decodeUpdate` (done by the Room) + `updateScope` + `judgeUpdate`;
 * - after: `readSections` (decode and section checks) + `planAndJudge` (Yjs's order and cuts,
 *   placement with paths, per-entry rules, nesting) + the client id claim (a cached lookup) +
 *   re-encoding when the update is not handed to Yjs as received.
 *
 * On two documents with their history (gc off, as document rooms keep deleted content): a
 * 30,000-character body typed in 300 paragraphs, and the automerge-paper editing trace (182,315
 * inserts, 77,463 deletes, CC BY 4.0, Joseph Gentle's editing-traces) replayed into one paragraph
 * of the body. Plus a 5,000-deep chain of maps under comments touched by one update (finding 5a).
 *
 *   npx tsx bench/documentPolicy.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { createLogger } from '../server/logger'
import { ClientIdBindings } from '../server/policy/ClientIdBindings'
import { planAndJudge } from '../server/policy/judge'
import { PlaceCache } from '../server/policy/placement'
import { encodeReady } from '../server/policy/plan'
import { readSections } from '../server/policy/sections'
import { ClientIdStore } from '../server/storage/ClientIdStore'
import { openDatabase } from '../server/storage/database'
import { migrate } from '../server/storage/migrations'
import { craftUpdate } from '../tests/utils/craft'
import type { CraftedStruct } from '../tests/utils/craft'
import { judgeUpdateBefore, updateScopeBefore } from './lib/policyBefore'
import { loadTrace, traceFile } from './lib/trace'

const SENTENCE = '为切实做好今年汛期安全防范工作确保人民群众生命财产安全'
const COMMENTER = { access: 'comment', userId: 'reviewer', displayName: '赵敏' } as const
const EDITOR = { access: 'write', userId: 'editor', displayName: '李强' } as const

function synthetic(): Y.Doc {
  const doc = new Y.Doc({ gc: false })
  const body = doc.getXmlFragment('body')
  for (let p = 0; p < 300; p++) {
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    body.insert(body.length, [paragraph])
    for (let c = 0; c < 100; c++) {
      text.insert(text.length, SENTENCE[c % SENTENCE.length] ?? '。')
      if (c % 10 === 9) {
        text.delete(text.length - 1, 1)
        text.insert(text.length, '，')
      }
    }
  }
  doc.getMap('meta').set('classification', 'none')
  return doc
}

async function fromTrace(): Promise<Y.Doc> {
  const trace = await loadTrace(
    traceFile(path.resolve(import.meta.dirname, '..'), 'automerge-paper'),
  )
  const doc = new Y.Doc({ gc: false })
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText(trace.startContent)
  paragraph.insert(0, [text])
  doc.getXmlFragment('body').insert(0, [paragraph])
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [position, deleteCount, insert] of txn.patches) {
        if (deleteCount > 0) {
          text.delete(position, deleteCount)
        }
        if (insert !== '') {
          text.insert(position, insert)
        }
      }
    })
  }
  doc.getMap('meta').set('classification', 'none')
  return doc
}

function time(runs: number, work: () => void): { median: number; p95: number } {
  for (let i = 0; i < Math.min(50, runs); i++) {
    work()
  }
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  return {
    median: samples[Math.floor(runs / 2)] ?? 0,
    p95: samples[Math.floor(runs * 0.95)] ?? 0,
  }
}

const fmt = (ms: number): string =>
  ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`

/** The updates a client sends, made on a copy of the server's document. */
function updatesOf(server: Y.Doc): [string, Uint8Array, typeof COMMENTER | typeof EDITOR][] {
  const writer = new Y.Doc()
  const client = new Y.Doc()
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server))
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const captured = (change: () => void, from = client): Uint8Array => {
    let update: Uint8Array = new Uint8Array()
    const listener = (u: Uint8Array) => {
      update = u
    }
    from.on('update', listener)
    change()
    from.off('update', listener)
    return update
  }
  const body = writer.getXmlFragment('body')
  const middle = body.get(Math.floor(body.length / 2))
  const text = middle instanceof Y.XmlElement ? middle.get(0) : null
  const keystroke = captured(() => {
    if (text instanceof Y.XmlText) {
      text.insert(Math.floor(text.length / 2), '字')
    }
  }, writer)
  const thread = captured(() =>
    client.transact(() => {
      const entry = new Y.Map<unknown>()
      client.getMap('comments').set('t1', entry)
      for (const [key, value] of Object.entries({
        id: 't1',
        from: null,
        to: null,
        quote: '汛期',
        authorId: COMMENTER.userId,
        authorName: COMMENTER.displayName,
        createdAt: 1,
        text: '建议补充时限要求',
        mentions: [],
        resolved: false,
        resolvedBy: null,
      })) {
        entry.set(key, value)
      }
      entry.set('replies', new Y.Array())
    }),
  )
  const before = Y.encodeStateVector(server)
  const stepTwo = Y.encodeStateAsUpdate(client, before)
  return [
    ['editor keystroke in the body', keystroke, EDITOR],
    ['commenter adds a thread', thread, COMMENTER],
    ['commenter sync step 2 on reconnect (whole delete set)', stepTwo, COMMENTER],
  ]
}

function deepChain(): { doc: Y.Doc; touch: Uint8Array } {
  const chain: CraftedStruct[] = []
  const touch: CraftedStruct[] = []
  for (let i = 0; i < 5000; i++) {
    chain.push({
      parent: i === 0 ? 'comments' : Y.createID(1, i - 1),
      parentSub: i === 0 ? 'chain' : 'k',
      content: new Y.ContentType(new Y.Map()),
    })
    touch.push({ parent: Y.createID(1, i), parentSub: 'x', content: new Y.ContentAny([i]) })
  }
  const doc = new Y.Doc({ gc: false })
  Y.applyUpdate(doc, craftUpdate([{ client: 1, clock: 0, structs: chain }]))
  return { doc, touch: craftUpdate([{ client: 2, clock: 0, structs: touch }]) }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qilu-bench-policy-'))
const opened = openDatabase({ dataDir, databaseUrl: null })
await migrate(opened.db as never, opened.dialect)
const bindings = new ClientIdBindings(new ClientIdStore(opened.db), createLogger({ quiet: true }))

const rows: string[] = []
const started = performance.now()
const documents: [string, Y.Doc][] = [
  ['30,000 characters in 300 paragraphs', synthetic()],
  ['automerge-paper trace in the body', await fromTrace()],
]
for (const [label, server] of documents) {
  const size = Y.encodeStateAsUpdate(server).length
  rows.push(`| **${label}** (state ${(size / 1024).toFixed(0)} KiB) | | | |`)
  const cache = new PlaceCache()
  for (const [name, update, sender] of updatesOf(server)) {
    const clients = [...new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client))]
    // One binding space per case: every case here writes with the same client copy's id.
    const key = `${label}/${name}`
    await bindings.claim(key, sender.userId, clients, () => false)
    const runs = update.length > 10_000 ? 300 : 3000
    const before = time(runs, () =>
      judgeUpdateBefore(sender.access, updateScopeBefore(server, Y.decodeUpdate(update))),
    )
    const after = time(runs, () => {
      const sections = readSections(update)
      const claimed = bindings.claim(key, sender.userId, clients, () => false)
      const { plan, refusal } = planAndJudge(server, sections, cache, sender)
      if (claimed !== 'accept' || refusal !== null) {
        throw new Error(`${name} refused: ${String(refusal?.reason ?? claimed)}`)
      }
      if (!plan.asReceived) {
        encodeReady(plan)
      }
    })
    rows.push(
      `| ${name} (${update.length} B) | ${fmt(before.median)} / ${fmt(before.p95)} | ${fmt(after.median)} / ${fmt(after.p95)} | ${(after.median / before.median).toFixed(2)}× |`,
    )
  }
}
const { doc: deep, touch } = deepChain()
const deepBefore = time(3, () =>
  judgeUpdateBefore('comment', updateScopeBefore(deep, Y.decodeUpdate(touch))),
)
const deepAfter = time(20, () =>
  planAndJudge(deep, readSections(touch), new PlaceCache(), COMMENTER),
)
// What the relay did next before, having let the update through: Yjs integrates it, and the
// mention extension's deep observer hears every event (each computed up the 5,000 levels).
const integrate = (() => {
  const copy = new Y.Doc({ gc: false })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(deep))
  copy.getMap('comments').observeDeep(() => {})
  const start = performance.now()
  Y.applyUpdate(copy, touch)
  return performance.now() - start
})()
rows.push(`| **5,000-deep chain of maps under comments** | | | |`)
rows.push(
  `| commenter touches every map (${touch.length} B), refused | ${fmt(deepBefore.median)} / ${fmt(deepBefore.p95)} | ${fmt(deepAfter.median)} / ${fmt(deepAfter.p95)} | ${(deepAfter.median / deepBefore.median).toFixed(3)}× |`,
)

rows.push(
  `| … then integrated by Yjs with a deep observer (before only) | ${fmt(integrate)} | refused, not integrated | |`,
)
process.stdout.write(
  [
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${(
      (performance.now() - started) /
      1000
    ).toFixed(0)} s`,
    '',
    '| update | before: median / p95 | after: median / p95 | after/before |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'),
)
await opened.db.destroy()
fs.rmSync(dataDir, { recursive: true, force: true })
