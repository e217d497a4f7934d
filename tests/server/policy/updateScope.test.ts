import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { updateScope } from '../../../server/extensions/updateScope'
import { judgeUpdate } from '../../../server/extensions/DocumentPolicyExtension'

/** The roots an update really changes: apply it to a scratch copy and watch the transaction. */
function oracleRoots(server: Y.Doc, update: Uint8Array): string[] {
  const scratch = new Y.Doc({ gc: false })
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(server))
  const roots = new Set<string>()
  scratch.on('afterTransaction', (transaction: Y.Transaction) => {
    for (const type of transaction.changed.keys()) {
      let top = type
      while (top._item !== null) {
        const parent: unknown = top._item.parent
        if (!(parent instanceof Y.AbstractType)) {
          break
        }
        top = parent
      }
      roots.add(Y.findRootTypeKey(top))
    }
  })
  Y.applyUpdate(scratch, update)
  scratch.destroy()
  return [...roots].sort()
}

function scopeRoots(server: Y.Doc, update: Uint8Array): string[] {
  const scope = updateScope(server, Y.decodeUpdate(update))
  const roots = new Set<string>()
  for (const { place } of scope.items) {
    if (place !== null) {
      roots.add(place.root)
    }
  }
  for (const place of scope.deletions) {
    roots.add(place.root)
  }
  return [...roots].sort()
}

/** A small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

type Op = (doc: Y.Doc, pick: (n: number) => number) => void

const OPS: Op[] = [
  (doc, pick) => {
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('段落' + pick(100))])
    const body = doc.getXmlFragment('body')
    body.insert(pick(body.length + 1), [paragraph])
  },
  (doc, pick) => {
    const body = doc.getXmlFragment('body')
    const paragraph = body.length === 0 ? null : body.get(pick(body.length))
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
    if (text instanceof Y.XmlText) {
      text.insert(pick(text.length + 1), '字')
    }
  },
  (doc, pick) => {
    const body = doc.getXmlFragment('body')
    const paragraph = body.length === 0 ? null : body.get(pick(body.length))
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
    if (text instanceof Y.XmlText && text.length > 0) {
      text.delete(pick(text.length), 1)
    }
  },
  (doc, pick) => {
    const body = doc.getXmlFragment('body')
    if (body.length > 0) {
      body.delete(pick(body.length), 1)
    }
  },
  (doc, pick) =>
    doc
      .getMap('meta')
      .set(['title', 'classification', 'signers'][pick(3)] ?? 'title', `值${pick(9)}`),
  (doc, pick) => doc.getMap('meta').delete(['title', 'classification'][pick(2)] ?? 'title'),
  (doc, pick) => {
    const thread = new Y.Map<unknown>()
    doc.getMap('comments').set(`t${pick(5)}`, thread)
    thread.set('text', '批注')
    thread.set('replies', new Y.Array())
  },
  (doc, pick) => {
    const thread = doc.getMap('comments').get(`t${pick(5)}`)
    const replies = thread instanceof Y.Map ? thread.get('replies') : null
    if (replies instanceof Y.Array) {
      replies.push([{ text: '回复' }])
    }
    if (thread instanceof Y.Map) {
      thread.set('resolved', pick(2) === 1)
    }
  },
  (doc, pick) => doc.getMap('comments').delete(`t${pick(5)}`),
  (doc, pick) => {
    const suggestion = new Y.Map<unknown>()
    doc.getMap('suggestions').set(`s${pick(4)}`, suggestion)
    suggestion.set('status', 'open')
  },
]

describe('placing an update without applying it', () => {
  test('agrees with applying it to a scratch copy, over 300 random changes by 3 clients', () => {
    const next = random(2026)
    const pick = (n: number) => Math.floor(next() * n)
    const server = new Y.Doc({ gc: false })
    const clients = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
    for (let round = 0; round < 300; round++) {
      const client = clients[pick(clients.length)]
      if (client === undefined) {
        continue
      }
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)))
      const before = Y.encodeStateVector(client)
      client.transact(() => {
        const count = 1 + pick(3)
        for (let i = 0; i < count; i++) {
          OPS[pick(OPS.length)]?.(client, pick)
        }
      })
      const update = Y.encodeStateAsUpdate(client, before)
      // A sync step 2 of the whole client state repeats every deletion: it must change nothing new.
      const full = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))
      expect(scopeRoots(server, update), `round ${round}`).toEqual(oracleRoots(server, update))
      expect(scopeRoots(server, full), `round ${round} (full)`).toEqual(oracleRoots(server, full))
      Y.applyUpdate(server, update)
    }
  })

  test('an overwrite of meta.classification is placed through its origin', () => {
    const server = new Y.Doc({ gc: false })
    server.getMap('meta').set('classification', 'none')
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(client)
    client.getMap('meta').set('classification', '绝密')
    const update = Y.encodeStateAsUpdate(client, before)
    // The key is not even in the bytes: the new item names only its left neighbour.
    expect(Buffer.from(update).includes(Buffer.from('classification'))).toBe(false)
    const scope = updateScope(server, Y.decodeUpdate(update))
    expect(scope.items.map((p) => p.place)).toEqual([
      { root: 'meta', key: 'classification', direct: true },
    ])
    expect(judgeUpdate('write', scope)).toBe('classified')
  })

  test('updates with missing dependencies are unresolved; commenters are refused for them', () => {
    const client = new Y.Doc()
    client.getXmlFragment('body').insert(0, [new Y.XmlText('一')])
    const first = Y.encodeStateAsUpdate(client)
    const sv = Y.encodeStateVector(client)
    client.getMap('comments').set('t', 'x')
    const text = client.getXmlFragment('body').get(0)
    if (text instanceof Y.XmlText) {
      text.insert(1, '二')
    }
    const second = Y.encodeStateAsUpdate(client, sv)
    const server = new Y.Doc({ gc: false })
    // The second update arrives first: its text item depends on the first.
    const scope = updateScope(server, Y.decodeUpdate(second))
    expect(scope.unresolved.length).toBeGreaterThan(0)
    expect(judgeUpdate('comment', scope)).toBe('commenter_unresolved')
    expect(judgeUpdate('write', scope)).toBeNull()
    Y.applyUpdate(server, first)
    expect(judgeUpdate('comment', updateScope(server, Y.decodeUpdate(second)))).toBe(
      'commenter_root',
    )
  })
})
