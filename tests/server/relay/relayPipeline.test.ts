/**
 * The relay's per-connection message pipeline: hooks that wait (claiming client ids, waiting for a
 * save to be durable) hold back only their own connection's later messages, in order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type {
  Extension,
  RoomPayload,
  SyncPayload,
  UpdatePayload,
} from '../../../server/relay/hooks'
import type { UpdateVerdict } from '../../../server/relay/verdicts'
import { OpenDoor, startBareRelay } from '../../utils/bareRelay'
import type { BareRelay } from '../../utils/bareRelay'
import { CloseEvents } from '../../../shared/protocol/closeEvents'
import { closed, connect, rawSocket, synced, text, waitFor } from '../../utils/yclient'
import type { Client } from '../../utils/yclient'

/**
 * Holds the updates and barriers of the user `slow` until released, and the barriers of `stuck`;
 * refuses the user `refused`; takes 30 ms of the relay's time on each update of `costly`.
 */
class Gate implements Extension {
  readonly name = 'gate'
  readonly order: string[] = []
  private releases: (() => void)[] = []
  barriersHeld = 0
  holdBarriers = false
  private loads: (() => void)[] = []

  /** Loading the room `doc:slowload` waits until `releaseLoads`. */
  onLoadRoom({ room }: RoomPayload): Promise<void> {
    if (room.name !== 'doc:slowload') {
      return Promise.resolve()
    }
    return new Promise((resolve) => this.loads.push(resolve))
  }

  releaseLoads(): void {
    this.loads.splice(0).forEach((go) => go())
  }

  prepareUpdate({ connection }: UpdatePayload): Promise<UpdateVerdict> | UpdateVerdict {
    const user = connection.identity.userId
    if (user === 'refused') {
      return Promise.resolve(CloseEvents.updateRefused)
    }
    if (user === 'costly') {
      const until = performance.now() + 30
      while (performance.now() < until) {
        // An expensive check, as a flood of hard-to-judge updates would cause.
      }
      return 'accept'
    }
    if (user !== 'slow') {
      return 'accept'
    }
    return new Promise((resolve) => this.releases.push(() => resolve('accept')))
  }

  beforeSyncAnswer({ connection }: SyncPayload): Promise<void> | void {
    if (connection.identity.userId === 'stuck') {
      return new Promise((resolve) => this.releases.push(resolve))
    }
    if (connection.identity.userId !== 'slow' || !this.holdBarriers) {
      return undefined
    }
    this.barriersHeld++
    return new Promise((resolve) => this.releases.push(resolve))
  }

  release(): void {
    const waiting = this.releases.splice(0)
    for (const go of waiting) {
      go()
    }
  }

  get waiting(): number {
    return this.releases.length
  }
}

/** Releases the gate until `check` holds: each release lets the queued waits go, in order. */
async function releaseUntil(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out releasing until ${what}`)
    }
    gate.release()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

let bare: BareRelay
const gate = new Gate()
const clients: Client[] = []

beforeAll(async () => {
  bare = await startBareRelay([new OpenDoor(), gate], 100)
})

afterAll(() => bare.stop(clients))

describe('the per-connection message pipeline', () => {
  test('a waiting update holds back its own connection only, and its updates keep their order', async () => {
    const slow = connect(bare.wsUrl, 'doc:pipeline1', 'slow')
    const fast = connect(bare.wsUrl, 'doc:pipeline1', 'fast')
    clients.push(slow, fast)
    await Promise.all([synced(slow, 15_000), synced(fast, 15_000)])
    slow.doc.getText('text').insert(0, 'A')
    slow.doc.getText('text').insert(1, 'B')
    await waitFor(() => gate.waiting > 0, 'the slow update to wait')
    fast.doc.getText('text').insert(0, 'x')
    // The fast user's edit reaches the slow one while the slow one's own edits still wait.
    await waitFor(() => text(slow).includes('x'), 'fast edit delivered')
    expect(text(fast)).toBe('x')
    await releaseUntil(() => text(fast).includes('AB'), 'slow edits applied in order')
    expect(text(fast)).toBe(text(slow))
  })

  test('an update refused by a waiting hook closes the connection and is not applied', async () => {
    const refused = connect(bare.wsUrl, 'doc:pipeline2', 'refused')
    const watcher = connect(bare.wsUrl, 'doc:pipeline2', 'watcher')
    clients.push(refused, watcher)
    // Not waiting for `refused` to sync: its answer to the relay's step 1 is an update too, refused
    // at once, so its provider may be synced only for an instant between reconnections.
    await synced(watcher, 15_000)
    refused.doc.getText('text').insert(0, 'forged')
    await waitFor(() => refused.closeCodes.length > 0, 'close')
    refused.provider.disconnect()
    expect(refused.closeCodes[0]).toBe(CloseEvents.updateRefused.code)
    watcher.doc.getText('text').insert(0, 'ok')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(text(watcher)).toBe('ok')
  })

  test('a sync step 1 is answered only after its wait, so a barrier confirms what came before it', async () => {
    const doc = new Y.Doc()
    const slow = connect(bare.wsUrl, 'doc:pipeline3', 'slow', doc)
    clients.push(slow)
    await synced(slow, 15_000)
    const held = gate.barriersHeld
    gate.holdBarriers = true
    doc.getText('text').insert(0, 'saved?')
    await waitFor(() => gate.waiting > 0, 'update waiting')
    // A barrier (a step 1) must wait behind the update, then for its own hook.
    const before = slow.provider.synced
    slow.provider.synced = false
    const sawAnswer = new Promise<void>((resolve) =>
      slow.provider.on('sync', (isSynced: boolean) => {
        if (isSynced) {
          resolve()
        }
      }),
    )
    slow.provider.ws?.send(new Uint8Array([0, 0, 1, 0]))
    let answered = false
    void sawAnswer.then(() => {
      answered = true
    })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(answered).toBe(false)
    await releaseUntil(() => answered, 'the step 1 answer')
    gate.holdBarriers = false
    expect(gate.barriersHeld).toBeGreaterThan(held)
    expect(text(slow)).toBe('saved?')
    expect(before).toBe(true)
  })

  test('messages piling up behind a waiting barrier are bounded: past 1,000 the flood is closed with 4429', async () => {
    const socket = await rawSocket(`${bare.wsUrl}/doc:pipeline4?token=stuck`)
    const code = closed(socket)
    for (let i = 0; i < 1500; i++) {
      socket.send(new Uint8Array([0, 0, 1, 0]))
    }
    const result = await Promise.race([
      code,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ])
    socket.terminate()
    gate.release()
    expect(result).toBe(CloseEvents.rateLimited.code)
  })

  test('a flood of costly messages is closed with 4429 though it never reaches 400 a second on the relay clock', async () => {
    const socket = await rawSocket(`${bare.wsUrl}/doc:pipeline5?token=costly`)
    const code = closed(socket)
    const doc = new Y.Doc()
    const started = performance.now()
    for (let i = 0; i < 300; i++) {
      const before = Y.encodeStateVector(doc)
      doc.getText('text').insert(0, String(i % 10))
      socket.send(updateMessage(Y.encodeStateAsUpdate(doc, before)))
    }
    const result = await Promise.race([
      code,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 15_000)),
    ])
    socket.terminate()
    expect(result).toBe(CloseEvents.rateLimited.code)
    // 300 updates of 30 ms each would hold the relay for 9 s; the budget stops it after about 3.
    expect(performance.now() - started).toBeLessThan(5000)
  })

  test('messages sent while the room loads are bounded too: past 1,000 the socket is closed with 4429', async () => {
    const socket = await rawSocket(`${bare.wsUrl}/doc:slowload?token=early`)
    const code = closed(socket)
    for (let i = 0; i < 1500; i++) {
      socket.send(new Uint8Array([0, 0, 1, 0]))
    }
    const result = await Promise.race([
      code,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 3000)),
    ])
    socket.terminate()
    gate.releaseLoads()
    expect(result).toBe(CloseEvents.rateLimited.code)
  })
})

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}
