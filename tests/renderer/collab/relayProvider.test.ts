/**
 * RelayProvider installs its own sync and presence handlers on its instance only, remembers the
 * relay's state vector, hands the first answer and later barrier answers to its hooks, and publishes
 * only this client's presence, throttled.
 */
import { afterEach, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2 } from '../../../shared/protocol/messages'
import { RelayProvider } from '../../../renderer/src/collab/RelayProvider'

const URL_BASE = 'ws://127.0.0.1:9/sync'

/** @returns a decoder over one sync message's payload (after its message type, as handlers get it) */
function syncMessage(step: number, payload: Uint8Array): decoding.Decoder {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return decoding.createDecoder(encoding.toUint8Array(encoder))
}

const open: { destroy(): void }[] = []
afterEach(() => {
  for (const provider of open.splice(0)) {
    provider.destroy()
  }
  vi.useRealTimers()
})

function relayProvider(
  hooks: Partial<ConstructorParameters<typeof RelayProvider>[3]['hooks']> = {},
) {
  const doc = new Y.Doc()
  const provider = new RelayProvider(URL_BASE, 'doc:a', doc, {
    params: { token: 't' },
    maxBackoffTime: 5000,
    hooks: { onFirstAnswer: () => {}, onBarrierAnswer: () => {}, ...hooks },
  })
  open.push(provider)
  return { doc, provider }
}

describe('RelayProvider', () => {
  test("replaces the sync and presence handlers of its own instance, not y-websocket's", () => {
    const before = new WebsocketProvider(URL_BASE, 'doc:b', new Y.Doc(), { connect: false })
    open.push(before)
    const { provider } = relayProvider()
    const after = new WebsocketProvider(URL_BASE, 'doc:c', new Y.Doc(), { connect: false })
    open.push(after)
    expect(provider.messageHandlers[MESSAGE_SYNC]).not.toBe(before.messageHandlers[MESSAGE_SYNC])
    expect(after.messageHandlers).toEqual(before.messageHandlers)
    expect(provider.shouldConnect).toBe(false)
  })

  test("remembers the relay's state vector, gives the first answer to its hook, then reports barrier answers", () => {
    const onFirstAnswer = vi.fn()
    const onBarrierAnswer = vi.fn()
    const { doc, provider } = relayProvider({ onFirstAnswer, onBarrierAnswer })
    const remote = new Y.Doc()
    remote.getText('t').insert(0, 'relay')
    const handle = provider.messageHandlers[MESSAGE_SYNC]
    if (handle === undefined) {
      throw new Error('no sync handler')
    }

    handle(
      encoding.createEncoder(),
      syncMessage(SYNC_STEP1, Y.encodeStateVector(remote)),
      provider,
      true,
      0,
    )
    expect(provider.relayState).toEqual(Y.decodeStateVector(Y.encodeStateVector(remote)))

    const update = Y.encodeStateAsUpdate(remote)
    handle(encoding.createEncoder(), syncMessage(SYNC_STEP2, update), provider, true, 0)
    expect(onFirstAnswer).toHaveBeenCalledWith(update)
    expect(provider.synced).toBe(true)
    // The hook applies the answer; the provider did not.
    expect(doc.getText('t').toString()).toBe('')
    expect(onBarrierAnswer).not.toHaveBeenCalled()

    handle(encoding.createEncoder(), syncMessage(SYNC_STEP2, update), provider, true, 0)
    expect(onBarrierAnswer).toHaveBeenCalledTimes(1)
    expect(doc.getText('t').toString()).toBe('relay')
    // Answers from other tabs (BroadcastChannel: emitSynced false) answer no barrier of ours.
    handle(encoding.createEncoder(), syncMessage(SYNC_STEP2, update), provider, false, 0)
    expect(onBarrierAnswer).toHaveBeenCalledTimes(1)
  })

  test("publishes only this client's presence, at most once per interval, the latest state last", () => {
    vi.useFakeTimers()
    const { doc, provider } = relayProvider()
    const sent = vi.fn()
    provider._awarenessUpdateHandler = sent
    provider.awareness.setLocalStateField('user', { name: 'A' })
    provider.awareness.setLocalStateField('user', { name: 'AB' })
    provider.awareness.setLocalStateField('user', { name: 'ABC' })
    vi.runOnlyPendingTimers()
    expect(sent).toHaveBeenCalledTimes(1)
    expect(sent).toHaveBeenLastCalledWith({ added: [], updated: [doc.clientID], removed: [] }, null)
    // A colleague's presence is not echoed back.
    const colleague = new Y.Doc()
    provider.awareness.emit('update', [
      { added: [colleague.clientID], updated: [], removed: [] },
      'remote',
    ])
    vi.runOnlyPendingTimers()
    expect(sent).toHaveBeenCalledTimes(1)
  })
})
