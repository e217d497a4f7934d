import { describe, expect, test } from 'vitest'
import { HeldRemoteUpdates } from '../../../server/extensions/HeldRemoteUpdates'

const bytes = (n: number): Uint8Array => new Uint8Array([n])

describe('the other nodes’ updates held until their node says they are stored', () => {
  test('one word of a node releases its updates in every room, up to the number it names', () => {
    const held = new HeldRemoteUpdates()
    held.hold('doc:a', 'node-1', 1, bytes(1), 0)
    held.hold('doc:b', 'node-1', 2, bytes(2), 0)
    held.hold('doc:a', 'node-1', 3, bytes(3), 0)
    held.hold('doc:a', 'node-2', 2, bytes(20), 0)
    held.stored('node-1', 2)
    expect(held.size).toBe(2)
    // What is left of node 1 and all of node 2 are what a client's save barrier stores here.
    expect(held.take('doc:a')).toEqual([bytes(3), bytes(20)])
    expect(held.take('doc:b')).toEqual([])
    expect(held.size).toBe(0)
  })

  test('a node’s word never releases another node’s updates', () => {
    const held = new HeldRemoteUpdates()
    held.hold('doc:a', 'node-1', 5, bytes(5), 0)
    held.hold('doc:a', 'node-2', 1, bytes(1), 0)
    held.stored('node-2', 9)
    expect(held.take('doc:a')).toEqual([bytes(5)])
  })

  test('the per-room word of an older node releases only that room', () => {
    const held = new HeldRemoteUpdates()
    held.hold('doc:a', 'node-1', 1, bytes(1), 0)
    held.hold('doc:b', 'node-1', 2, bytes(2), 0)
    held.storedInRoom('doc:a', 'node-1', 2)
    expect(held.size).toBe(1)
    expect(held.take('doc:b')).toEqual([bytes(2)])
  })

  test('a node silent for too long has all its updates taken, by room, for this node to store', () => {
    const held = new HeldRemoteUpdates()
    held.hold('doc:a', 'dead', 1, bytes(1), 100)
    held.hold('doc:b', 'dead', 2, bytes(2), 5000)
    held.hold('doc:a', 'alive', 7, bytes(7), 5000)
    const taken = held.takeOlderThan(1000)
    expect([...taken]).toEqual([
      ['doc:a', [bytes(1)]],
      ['doc:b', [bytes(2)]],
    ])
    expect(held.size).toBe(1)
  })
})
