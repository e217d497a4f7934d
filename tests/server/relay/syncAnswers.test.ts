import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import {
  EMPTY_UPDATE,
  KEEP_ENCODING_FROM_BYTES,
  SyncAnswers,
} from '../../../server/relay/SyncAnswers'
import type { Answer } from '../../../server/relay/SyncAnswers'

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/** Text large enough for its encoding to be kept. */
const LARGE = '公'.repeat(KEEP_ENCODING_FROM_BYTES)

/** A document whose room notes its changes as Room does. */
function room(text: string, now: () => number = Date.now): { doc: Y.Doc; answers: SyncAnswers } {
  const doc = new Y.Doc()
  doc.getText('text').insert(0, text)
  const answers = new SyncAnswers(doc, now)
  doc.on('update', (update: Uint8Array) => answers.changed(update))
  return { doc, answers }
}

function socketAt(answers: SyncAnswers): { joinedAtVersion: number; answered: boolean } {
  return { joinedAtVersion: answers.currentVersion, answered: false }
}

/** @returns the text a client has after applying the answer (and then the given fan-out). */
function received(answer: Answer, fanOut: Uint8Array[] = []): string {
  const client = new Y.Doc()
  const updates = [...(answer.missed === null ? [] : [answer.missed]), answer.update, ...fanOut]
  for (const update of updates) {
    Y.applyUpdate(client, update)
  }
  return client.getText('text').toString()
}

describe('sync step 1 answers', () => {
  test('a socket gets the document once, then receipts: a flood of step 1 costs nothing more', () => {
    const { answers } = room('齐鲁')
    const socket = socketAt(answers)
    expect(received(answers.answer(socket, EMPTY_STATE_VECTOR))).toBe('齐鲁')
    for (let i = 0; i < 100; i++) {
      expect(answers.answer(socket, EMPTY_STATE_VECTOR)).toEqual({
        missed: null,
        update: EMPTY_UPDATE,
      })
    }
  })

  test('the encoding is shared; a later joiner also gets the changes before its join, fan-out the rest', () => {
    const { doc, answers } = room(`一${LARGE}`)
    const early = socketAt(answers)
    const first = answers.answer(early, EMPTY_STATE_VECTOR)
    const fanOut: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => fanOut.push(update))
    doc.getText('text').insert(1, '二')
    const late = socketAt(answers)
    doc.getText('text').insert(2, '三')
    const second = answers.answer(late, EMPTY_STATE_VECTOR)
    expect(second.update).toBe(first.update)
    expect(second.missed).toEqual(Y.mergeUpdates([fanOut[0] ?? new Uint8Array()]))
    // The late socket receives the change after its join as fan-out.
    expect(received(second, fanOut.slice(1))).toBe(`一二三${LARGE}`)
    expect(received(first, fanOut)).toBe(`一二三${LARGE}`)
  })

  test('past the bound on changes kept, or a minute unused, the document is encoded anew; a small one always is', () => {
    let now = 0
    const { doc, answers } = room(LARGE, () => now)
    const first = answers.answer(socketAt(answers), EMPTY_STATE_VECTOR)
    doc.getText('text').insert(0, 'y'.repeat(5 * 1024 * 1024))
    const next = answers.answer(socketAt(answers), EMPTY_STATE_VECTOR)
    // Identity checks as booleans: toBe on megabyte arrays compares them deeply for its message.
    expect(next.update !== first.update).toBe(true)
    expect(next.missed).toBeNull()
    expect(received(next).length).toBe(5 * 1024 * 1024 + LARGE.length)
    expect(answers.answer(socketAt(answers), EMPTY_STATE_VECTOR).update === next.update).toBe(true)
    now += 61_000
    expect(answers.answer(socketAt(answers), EMPTY_STATE_VECTOR).update !== next.update).toBe(true)
    const small = room('小')
    const once = small.answers.answer(socketAt(small.answers), EMPTY_STATE_VECTOR)
    const again = small.answers.answer(socketAt(small.answers), EMPTY_STATE_VECTOR)
    expect(again.update !== once.update).toBe(true)
  })

  test('a socket that has part of the document gets what it lacks, and a malformed state vector throws', () => {
    const { doc, answers } = room('甲')
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    doc.getText('text').insert(1, '乙')
    const answer = answers.answer(socketAt(answers), Y.encodeStateVector(client))
    expect(answer.update.length).toBeLessThan(Y.encodeStateAsUpdate(doc).length)
    Y.applyUpdate(client, answer.update)
    expect(client.getText('text').toString()).toBe('甲乙')
    expect(() => answers.answer(socketAt(answers), new Uint8Array([5, 1]))).toThrow()
  })
})
