import { describe, expect, test } from 'vitest'
import { deriveSyncState } from '../../../renderer/src/collab/syncStatus'
import { AckTracker } from '../../../renderer/src/collab/AckTracker'
import { closeAction } from '../../../renderer/src/collab/closeReasons'

describe('sync status chip', () => {
  test('says offline whenever the socket is not connected, whatever else is true', () => {
    for (const connection of ['connecting', 'disconnected'] as const) {
      expect(deriveSyncState({ connection, synced: true, pending: false })).toBe('offline')
      expect(deriveSyncState({ connection, synced: false, pending: true })).toBe('offline')
    }
  })

  test('says syncing while connected but not yet synced, or with unacknowledged changes', () => {
    expect(deriveSyncState({ connection: 'connected', synced: false, pending: false })).toBe(
      'syncing',
    )
    expect(deriveSyncState({ connection: 'connected', synced: true, pending: true })).toBe(
      'syncing',
    )
  })

  test('says saved only when connected, synced and nothing is pending', () => {
    expect(deriveSyncState({ connection: 'connected', synced: true, pending: false })).toBe('saved')
  })
})

describe('acknowledgement tracking', () => {
  test('the state found at open is pending until the first barrier comes back', () => {
    const acks = new AckTracker()
    expect(acks.pending).toBe(true)
    expect(acks.needsBarrier).toBe(true)
    acks.barrierSent()
    expect(acks.needsBarrier).toBe(false)
    expect(acks.pending).toBe(true)
    acks.barrierAnswered()
    expect(acks.pending).toBe(false)
  })

  test('a change made after a barrier was sent stays pending when that barrier returns', () => {
    const acks = new AckTracker()
    acks.barrierSent()
    acks.barrierAnswered()
    acks.localChange()
    acks.barrierSent()
    acks.localChange()
    expect(acks.needsBarrier).toBe(true)
    acks.barrierAnswered()
    expect(acks.pending).toBe(true)
    acks.barrierSent()
    acks.barrierAnswered()
    expect(acks.pending).toBe(false)
  })

  test('barriers lost with a closed socket are never counted as answered', () => {
    const acks = new AckTracker()
    acks.localChange()
    acks.barrierSent()
    acks.connectionLost()
    expect(acks.barrierAnswered()).toBe(false)
    expect(acks.pending).toBe(true)
    expect(acks.needsBarrier).toBe(true)
  })
})

describe('close codes', () => {
  test('session end, deactivation, forbidden and unknown rooms stop reconnecting', () => {
    expect(closeAction(4401)).toBe('session-ended')
    expect(closeAction(4410)).toBe('deactivated')
    expect(closeAction(4403)).toBe('forbidden')
    expect(closeAction(4404)).toBe('unknown-room')
  })

  test('network drops, restarts and rate limits keep reconnecting', () => {
    for (const code of [null, 1000, 1001, 1006, 4408, 4429]) {
      expect(closeAction(code)).toBe('reconnect')
    }
  })
})
