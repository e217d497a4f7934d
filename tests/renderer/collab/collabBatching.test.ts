/**
 * The two queues of an open document on real Y.Docs: colleagues' updates applied in batches
 * (RemoteBatch), and this device's updates delivered after the frame (UpdateOutbox).
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import {
  RemoteBatch,
  TYPING_PAUSE_MS,
  TYPING_WINDOW_MS,
} from '../../../renderer/src/collab/RemoteBatch'
import { UpdateOutbox } from '../../../renderer/src/collab/UpdateOutbox'

/** A colleague's document: each call types into its text and returns the update. */
function colleague(): { doc: Y.Doc; type(text: string): Uint8Array } {
  const doc = new Y.Doc()
  const text = doc.getText('t')
  return {
    doc,
    type(typed) {
      let update: Uint8Array | null = null
      const capture = (u: Uint8Array): void => {
        update = u
      }
      doc.on('update', capture)
      text.insert(text.length, typed)
      doc.off('update', capture)
      if (update === null) {
        throw new Error('no update')
      }
      return update
    },
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('RemoteBatch', () => {
  test('applies queued updates together, as one transaction with the given origin', async () => {
    const doc = new Y.Doc()
    const origin = { name: 'relay' }
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), origin, 20)
    const transactions: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => transactions.push(tr.origin))
    const other = colleague()
    batch.pushUpdate(other.type('推进'))
    batch.pushUpdate(other.type('政务'))
    batch.pushUpdate(other.type('服务'))

    expect(doc.getText('t').toString()).toBe('')
    expect(batch.pending).toBe(true)
    await sleep(60)
    expect(doc.getText('t').toString()).toBe('推进政务服务')
    expect(transactions).toEqual([origin])
    expect(batch.pending).toBe(false)
  })

  test('presence queued behind updates is applied after them, never before', () => {
    const doc = new Y.Doc()
    const awareness = new awarenessProtocol.Awareness(doc)
    const batch = new RemoteBatch(doc, awareness, 'relay', 1000)
    const other = colleague()
    const otherPresence = new awarenessProtocol.Awareness(other.doc)
    const update = other.type('通知')
    otherPresence.setLocalState({ cursor: 2 })
    batch.pushUpdate(update)
    batch.pushAwareness(
      awarenessProtocol.encodeAwarenessUpdate(otherPresence, [other.doc.clientID]),
    )
    const textWhenPresenceArrived: string[] = []
    awareness.on('change', () => textWhenPresenceArrived.push(doc.getText('t').toString()))

    expect(awareness.getStates().has(other.doc.clientID)).toBe(false)
    batch.flush()
    expect(awareness.getStates().get(other.doc.clientID)).toEqual({ cursor: 2 })
    expect(textWhenPresenceArrived).toEqual(['通知'])
    batch.destroy()
    otherPresence.destroy()
  })

  test('a malformed update is reported and skipped; the others are applied', () => {
    const errors: unknown[] = []
    const doc = new Y.Doc()
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), 'relay', 1000, (e) =>
      errors.push(e),
    )
    const other = colleague()
    batch.pushUpdate(other.type('甲'))
    batch.pushUpdate(Uint8Array.from([255, 255, 255, 1, 2]))
    batch.pushUpdate(other.type('乙'))
    batch.flush()
    expect(doc.getText('t').toString()).toBe('甲乙')
    expect(errors).toHaveLength(1)
  })

  test('a local keystroke applies what is queued right after its frame, before the window ends', async () => {
    const doc = new Y.Doc()
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), 'relay', 1000)
    const other = colleague()
    batch.pushUpdate(other.type('会议'))
    await sleep(80)
    expect(doc.getText('t').toString()).toBe('')
    batch.localChange()
    expect(doc.getText('t').toString()).toBe('')
    await sleep(80)
    expect(doc.getText('t').toString()).toBe('会议')
    expect(batch.pending).toBe(false)
    batch.destroy()
  })

  test('while the user types, a batch waits for the next keystroke, at most the typing window', async () => {
    expect(TYPING_WINDOW_MS).toBeLessThan(TYPING_PAUSE_MS)
    const doc = new Y.Doc()
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), 'relay', 20)
    const other = colleague()
    batch.localChange()
    batch.pushUpdate(other.type('纪要'))
    await sleep(120)
    expect(doc.getText('t').toString()).toBe('')
    await sleep(TYPING_WINDOW_MS + 50)
    expect(doc.getText('t').toString()).toBe('纪要')
    batch.destroy()
  })

  test('once the user has paused, a batch is applied after the short window again', async () => {
    const doc = new Y.Doc()
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), 'relay', 20)
    const other = colleague()
    batch.localChange()
    await sleep(TYPING_PAUSE_MS + 20)
    batch.pushUpdate(other.type('通报'))
    await sleep(120)
    expect(doc.getText('t').toString()).toBe('通报')
    batch.destroy()
  })

  test('destroy drops what is queued', async () => {
    const doc = new Y.Doc()
    const batch = new RemoteBatch(doc, new awarenessProtocol.Awareness(doc), 'relay', 10)
    batch.pushUpdate(colleague().type('丢弃'))
    batch.destroy()
    await sleep(40)
    expect(doc.getText('t').toString()).toBe('')
  })
})

describe('UpdateOutbox', () => {
  test('delivers after the transaction, in order, with each origin, to every handler in turn', async () => {
    const doc = new Y.Doc()
    const calls: string[] = []
    const first = (update: Uint8Array, origin: unknown): void => {
      calls.push(`first ${String(origin)} ${update.length > 0}`)
    }
    const second = (_update: Uint8Array, origin: unknown): void => {
      calls.push(`second ${String(origin)}`)
    }
    doc.on('update', first)
    doc.on('update', second)
    const outbox = new UpdateOutbox(doc, [first, second])
    const text = doc.getText('t')
    doc.transact(() => text.insert(0, '一'), 'typing')
    doc.transact(() => text.insert(1, '二'), 'relay')

    expect(calls).toEqual([])
    expect(outbox.pending).toBe(true)
    await sleep(120)
    expect(calls).toEqual([
      'first typing true',
      'second typing',
      'first relay true',
      'second relay',
    ])
    expect(outbox.pending).toBe(false)
    outbox.destroy()
  })

  test('the delivered updates rebuild the document elsewhere', () => {
    const doc = new Y.Doc()
    const copy = new Y.Doc()
    const deliver = (update: Uint8Array): void => Y.applyUpdate(copy, update)
    doc.on('update', deliver)
    const outbox = new UpdateOutbox(doc, [deliver])
    const text = doc.getText('t')
    for (const ch of '关于做好政务公开工作的通知') {
      text.insert(text.length, ch)
    }
    text.delete(0, 2)
    expect(copy.getText('t').toString()).toBe('')
    outbox.flush()
    expect(copy.getText('t').toString()).toBe('做好政务公开工作的通知')
    outbox.destroy()
  })

  test('destroy delivers what is queued and gives the handlers back', () => {
    const doc = new Y.Doc()
    const seen: number[] = []
    const handler = (update: Uint8Array): void => {
      seen.push(update.length)
    }
    doc.on('update', handler)
    const outbox = new UpdateOutbox(doc, [handler])
    doc.getText('t').insert(0, '甲')
    expect(seen).toHaveLength(0)
    outbox.destroy()
    expect(seen).toHaveLength(1)
    doc.getText('t').insert(1, '乙')
    expect(seen).toHaveLength(2)
  })
})

describe('UpdateOutbox.withoutDelivery', () => {
  test('updates made meanwhile are not delivered; queued ones go first; deliverLater queues', () => {
    const doc = new Y.Doc()
    const delivered: string[] = []
    const handler = (_update: Uint8Array, origin: unknown): void => {
      delivered.push(String(origin))
    }
    doc.on('update', handler)
    const outbox = new UpdateOutbox(doc, [handler])
    const text = doc.getText('t')
    doc.transact(() => text.insert(0, '甲'), 'before')
    outbox.withoutDelivery(() => {
      doc.transact(() => text.insert(1, '乙'), 'relay')
    })
    expect(delivered).toEqual(['before'])
    outbox.deliverLater(Y.encodeStateAsUpdate(doc), 'later')
    doc.transact(() => text.insert(2, '丙'), 'after')
    outbox.flush()
    expect(delivered).toEqual(['before', 'later', 'after'])
    outbox.destroy()
  })
})
