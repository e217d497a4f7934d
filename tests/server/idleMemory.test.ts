/**
 * The relay gives memory back when it has nothing to do (server/idleMemory.ts): a memory-reducing
 * collection after the start, and again when it goes idle after work, never while it has sockets
 * or rooms.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { reduceMemoryWhenIdle } from '../../server/idleMemory'
import type { Collector } from '../../server/idleMemory'

const TIMING = { firstMs: 20, everyMs: 20 }
const sleep = (ms: number): void => {
  vi.advanceTimersByTime(ms)
}

let stop: () => void = () => {}
beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  stop()
  vi.useRealTimers()
})

function recording(): { collect: Collector; calls: NodeJS.GCOptions[] } {
  const calls: NodeJS.GCOptions[] = []
  return { collect: (options) => calls.push(options), calls }
}

describe('memory given back while the relay idles', () => {
  test('an idle relay collects once after its start, memory-reducing, and not again', () => {
    const probe = { connectionCount: 0, roomCount: 0 }
    const { collect, calls } = recording()
    stop = reduceMemoryWhenIdle(probe, collect, TIMING)
    expect(calls).toHaveLength(0)
    sleep(150)
    expect(calls).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }])
  })

  test('a relay with sockets or rooms is left alone until it goes idle, then collects', () => {
    const probe = { connectionCount: 3, roomCount: 1 }
    const { collect, calls } = recording()
    stop = reduceMemoryWhenIdle(probe, collect, TIMING)
    sleep(100)
    expect(calls).toHaveLength(0)
    probe.connectionCount = 0
    sleep(100)
    expect(calls).toHaveLength(0)
    probe.roomCount = 0
    sleep(100)
    expect(calls).toHaveLength(1)
    probe.roomCount = 2
    sleep(100)
    probe.roomCount = 0
    sleep(100)
    expect(calls).toHaveLength(2)
  })

  test('stopped, it collects no more', () => {
    const { collect, calls } = recording()
    stop = reduceMemoryWhenIdle({ connectionCount: 0, roomCount: 0 }, collect, TIMING)
    stop()
    sleep(100)
    expect(calls).toHaveLength(0)
  })
})
