/**
 * The policy's plan of an update follows Yjs's own integration: what it hands Yjs integrates
 * exactly as the original would, nothing is left pending in Yjs, cut structs are placed where Yjs
 * links them, and every content kind on meta.classification is judged.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { judgeChanges } from '../../../server/policy/judge'
import { PlaceCache } from '../../../server/policy/placement'
import { encodeReady, hasWaiting, planUpdate } from '../../../server/policy/plan'
import { MalformedUpdate, readSections } from '../../../server/policy/sections'
import { craftUpdate, lastId } from '../../utils/craft'
import type { CraftedStruct } from '../../utils/craft'

const editor = { access: 'write', userId: 'u1', displayName: '李强' } as const

function plan(doc: Y.Doc, update: Uint8Array) {
  return planUpdate(doc, readSections(update), new PlaceCache())
}

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.insert(0, [new Y.XmlText(text)])
  return element
}

describe('the plan of an update', () => {
  test('hands Yjs what integrates exactly as the original, over 200 random resends with overlaps', () => {
    const next = random(17)
    const pick = (n: number) => Math.floor(next() * n)
    const server = new Y.Doc({ gc: false })
    const devices = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
    for (let round = 0; round < 200; round++) {
      const device = devices[pick(devices.length)] ?? new Y.Doc()
      Y.applyUpdate(device, Y.encodeStateAsUpdate(server, Y.encodeStateVector(device)))
      device.transact(() => {
        const body = device.getXmlFragment('body')
        if (pick(3) === 0 || body.length === 0) {
          body.insert(pick(body.length + 1), [paragraph(`段${round}`)])
        } else {
          const text = (body.get(pick(body.length)) as Y.XmlElement).get(0)
          if (text instanceof Y.XmlText) {
            text.insert(pick(text.length + 1), '字字')
            if (text.length > 3 && pick(2) === 0) {
              text.delete(pick(text.length - 1), 1)
            }
          }
        }
        device.getMap('meta').set('title', `标题${pick(5)}`)
      })
      // Sometimes everything from a clock the server has passed (a resend after a reconnect).
      const known = Y.decodeStateVector(Y.encodeStateVector(server))
      const own = known.get(device.clientID) ?? 0
      if (own > 0 && pick(2) === 0) {
        known.set(device.clientID, pick(own))
      }
      const update = Y.encodeStateAsUpdate(device, Y.encodeStateVector(known))
      const planned = plan(server, update)
      expect(hasWaiting(planned)).toBe(false)
      const expected = new Y.Doc({ gc: false })
      Y.applyUpdate(expected, Y.encodeStateAsUpdate(server))
      Y.applyUpdate(expected, update)
      Y.applyUpdate(server, planned.asReceived ? update : encodeReady(planned))
      expect(server.store.pendingStructs).toBeNull()
      expect(server.getXmlFragment('body').toString(), `round ${round}`).toBe(
        expected.getXmlFragment('body').toString(),
      )
      expect(server.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON())
    }
  })

  test('places a struct cut by its overlap after its client’s previous item, not where it claims', () => {
    const server = new Y.Doc({ gc: false })
    const writer = new Y.Doc()
    writer.getXmlFragment('body').insert(0, [paragraph('各市人民政府')])
    Y.applyUpdate(server, Y.encodeStateAsUpdate(writer))
    const clock = Y.getState(server.store, writer.clientID)
    const forged = craftUpdate([
      {
        client: writer.clientID,
        clock: clock - 1,
        structs: [{ parent: 'comments', content: new Y.ContentString('越权') }],
      },
    ])
    const planned = plan(server, forged)
    expect(planned.asReceived).toBe(false)
    expect(planned.items.map((p) => p.place?.parent.root)).toEqual(['body'])
    expect(judgeChanges(planned, { ...editor, access: 'comment' }, server)?.reason).toBe(
      'commenter_root',
    )
    // What Yjs does with the original bytes: the text ends up in the body.
    const yjs = new Y.Doc({ gc: false })
    Y.applyUpdate(yjs, Y.encodeStateAsUpdate(server))
    Y.applyUpdate(yjs, forged)
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(yjs))
    expect(reloaded.getXmlFragment('body').toString()).toContain('权')
  })

  test('keeps what waits out of Yjs, and judges it once its origin is there', () => {
    const server = new Y.Doc({ gc: false })
    const local = new Y.Doc()
    local.getMap('meta').set('classification', 'none')
    const origin = Y.encodeStateAsUpdate(local)
    const value = craftUpdate([
      {
        client: 0x7001,
        clock: 0,
        structs: [{ origin: lastId(local, local.clientID), content: new Y.ContentJSON(['机密']) }],
      },
    ])
    const early = plan(server, value)
    expect(hasWaiting(early)).toBe(true)
    expect(early.order.ready).toEqual([])
    Y.applyUpdate(server, origin)
    const late = plan(server, value)
    expect(hasWaiting(late)).toBe(false)
    expect(judgeChanges(late, editor, server)?.reason).toBe('classified')
  })

  test('only a plain allowed value directly on meta.classification stands, whatever the content kind', () => {
    const server = new Y.Doc({ gc: false })
    const kinds: [string, Y.Item['content'], string | null][] = [
      ['ContentAny none', new Y.ContentAny(['none']), null],
      ['ContentAny 机密', new Y.ContentAny(['机密']), 'classified'],
      ['ContentAny other', new Y.ContentAny(['内部']), 'classification_invalid'],
      ['ContentJSON', new Y.ContentJSON(['none']), 'classification_invalid'],
      ['ContentJSON 机密', new Y.ContentJSON(['机密']), 'classified'],
      ['ContentString', new Y.ContentString('绝密'), 'classified'],
      ['ContentString none', new Y.ContentString('none'), 'classification_invalid'],
      ['ContentEmbed', new Y.ContentEmbed({ level: '秘密' }), 'classification_invalid'],
      ['ContentFormat', new Y.ContentFormat('bold', true), 'classification_invalid'],
      ['ContentType', new Y.ContentType(new Y.Text()), 'classification_invalid'],
      ['ContentBinary', new Y.ContentBinary(new Uint8Array([1])), 'classification_invalid'],
      ['ContentDoc', new Y.ContentDoc(new Y.Doc()), 'classification_invalid'],
      ['ContentDeleted', new Y.ContentDeleted(1), null],
    ]
    let client = 0x8000
    for (const [name, content, expected] of kinds) {
      const struct: CraftedStruct = { parent: 'meta', parentSub: 'classification', content }
      const planned = plan(server, craftUpdate([{ client: client++, clock: 0, structs: [struct] }]))
      expect(judgeChanges(planned, editor, server)?.reason ?? null, name).toBe(expected)
    }
    // Anything nested in a type held at meta.classification.
    const nested = craftUpdate([
      {
        client: client,
        clock: 0,
        structs: [
          { parent: 'meta', parentSub: 'classification', content: new Y.ContentType(new Y.Map()) },
          {
            parent: Y.createID(client, 0),
            parentSub: 'level',
            content: new Y.ContentAny(['none']),
          },
        ],
      },
    ])
    expect(judgeChanges(plan(server, nested), editor, server)?.reason).toBe(
      'classification_invalid',
    )
  })

  test('refuses what Yjs would read otherwise or throw on: a client twice, an empty section, a later clock', () => {
    const value = (text: string): CraftedStruct => ({
      parent: 'meta',
      parentSub: 'title',
      content: new Y.ContentAny([text]),
    })
    const twice = craftUpdate([
      { client: 9, clock: 0, structs: [value('甲')] },
      { client: 9, clock: 1, structs: [value('乙')] },
    ])
    const empty = craftUpdate([
      { client: 9, clock: 0, structs: [value('甲')] },
      { client: 10, clock: 0, structs: [] },
    ])
    const ahead = craftUpdate([
      {
        client: 9,
        clock: 0,
        structs: [{ origin: Y.createID(9, 5), content: new Y.ContentAny([1]) }],
      },
    ])
    for (const update of [twice, empty, ahead]) {
      expect(() => readSections(update)).toThrow(MalformedUpdate)
    }
  })

  test('a dependency cycle in a forged update waits instead of looping', () => {
    const server = new Y.Doc({ gc: false })
    const cycle = craftUpdate([
      {
        client: 1,
        clock: 0,
        structs: [{ origin: Y.createID(2, 0), content: new Y.ContentAny([1]) }],
      },
      {
        client: 2,
        clock: 0,
        structs: [{ origin: Y.createID(1, 0), content: new Y.ContentAny([2]) }],
      },
    ])
    const planned = plan(server, cycle)
    expect(planned.order.ready).toEqual([])
    expect([...planned.order.waiting.keys()].sort()).toEqual([1, 2])
  })
})
